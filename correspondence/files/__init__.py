"""The files people hand the tool and the files it hands back: text read out of documents, checked packages, YAML and CSV, atomic writes, letter files and their fingerprints, PDFs by LibreOffice."""
