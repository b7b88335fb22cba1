package storage

// ReleaseTablePages drops the pages of the store's table files that this
// process has read from its resident memory; a no-op outside a read-only
// open and where the platform has no way to do it (release_linux.go).
//
// Badger reads tables through memory maps, so every page a scan reads
// stays counted in the process's resident memory until the store closes:
// an export of a large library read 25 MB of tables once each and held
// them all. Dropped pages stay in the system's file cache, as pages read
// with read(2) do: reading one again costs a page fault, not a disk read.
// Long scans call this now and then.
func (tx *Tx) ReleaseTablePages() {
	if tx.tables != "" {
		releaseTablePages(tx.tables)
	}
}
