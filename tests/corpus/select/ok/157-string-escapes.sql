SELECT 'it\'s', 'a''b', 'line1\nline2', 'tab\there', 'back\\slash', '' AS empty
