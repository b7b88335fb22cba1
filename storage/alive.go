package storage

// ProcessAlive reports whether a process with this pid exists, so that
// other packages can tell the leftovers of a killed process (lock info,
// temporary files) from those of a running one.
func ProcessAlive(pid int) bool { return alive(pid) }
