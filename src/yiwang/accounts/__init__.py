"""Real-name accounts of persons and enterprises, delegation, staff roles."""
