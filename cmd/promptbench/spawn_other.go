//go:build !unix

package main

// backgroundMaintenance is nil where no detached session can be started:
// writing commands then compact the store themselves when it is due.
func backgroundMaintenance() func(dir string) { return nil }
