// The cadoctor browser tests only need the extension to be installed.
