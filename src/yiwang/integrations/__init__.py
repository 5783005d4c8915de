"""External systems behind interfaces, and local copies of the base libraries (人口库, 法人库)."""
