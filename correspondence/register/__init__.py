"""The register of letters in and out: logging and finding letters, references never used twice, search, versions, export, backup and restore."""
