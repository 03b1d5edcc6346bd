package main

// version is the program's version, reported by `newsarchive version` and in the
// crawler's User-Agent.
const version = "0.1.0"
