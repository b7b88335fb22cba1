//go:build !linux

package workspace

// syncWritten makes the written files durable, one sync per file: the
// system has no sync of a whole filesystem that Go reaches.
func syncWritten(files []batchFile) error { return syncEach(files) }
