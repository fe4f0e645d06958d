"""What ``migrate`` and ``doctor`` both need to know about a script or notebook."""
