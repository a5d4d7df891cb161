// Loader-rule checker (being written).
