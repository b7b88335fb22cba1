//go:build !unix

package storage

import "errors"

// alive cannot ask the system here without a signal 0: every recorded
// holder counts as alive, so lock messages may name one that has ended.
func alive(pid int) bool { return pid > 0 }

// stopProcess cannot signal a process here; no holder is asked to yield
// where lockHolders cannot confirm it holds the store.
func stopProcess(int, bool) error { return errors.ErrUnsupported }
