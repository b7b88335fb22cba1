//go:build !unix

package storage

// tryLockDir cannot take Badger's directory lock here (Badger uses another
// mechanism on these systems), so it never repairs: the open then reports
// Badger's own error.
func tryLockDir(dir string) (unlock func(), ok bool, err error) {
	return nil, false, nil
}

// pendingSupported is false here: without flock, writes go to Badger
// directly, as before the pending log.
const pendingSupported = false

func lockPending(dir string) (*pendingLog, error) { return nil, nil }
