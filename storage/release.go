package storage

import "time"

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
	if tx.tables == "" {
		return
	}
	// The tables stay where they are mapped while the store is open:
	// their ranges are read once (an export releases every few MB).
	if tx.mapped == nil {
		tx.mapped = tableMappings(tx.tables)
	}
	releaseMappings(tx.mapped)
}

// releaseEvery is how often a bulk open drops the pages of its table
// files from resident memory: reading the process's memory map takes a
// fraction of a millisecond. A 400,000-row evaluation writes a table
// every 130 ms or so and reads the filters of a hundred: it peaked at
// 90–92 MB with 50 ms, 93–97 MB with 100 ms, for the same CPU time.
const releaseEvery = 50 * time.Millisecond

// releaseWritten drops, every releaseEvery until stop closes, the pages of
// the table files a bulk open writes (or reads) from this process's
// resident memory, where the platform has a way to do it; done closes
// when it has stopped.
//
// Badger writes each table through a memory map, so every table written
// while the store is open stays counted in resident memory until it
// closes: an evaluation that keeps the store open between its batches
// would grow by all it wrote (an import too). A bulk open runs no
// compaction, so no table is unmapped before Close, which stops this
// first (see releaseTablePages).
func releaseWritten(dir string, stop <-chan struct{}, done chan<- struct{}) {
	everyTick(releaseEvery, func() { releaseTablePages(dir) }, stop, done)
}

// reclaimWhileCompacting drops, every releaseEvery until the returned
// function is called, the pages of dir's table files from this process's
// resident memory, with reclaimTablePages: compactions unmap the tables
// they merged. A compaction reads its input tables through their memory
// maps and writes its output through new ones, and the pages of both
// stayed counted in resident memory: merging the 117 level-0 tables a
// 400,000-row evaluation left peaked at about 290 MB of file pages
// resident (the program's own code, about 21 MB, included), 25–30 MB
// with this, 45–50 MB while Badger opens the tables. Every 20 ms saved
// 5 MB more for 10% more CPU time.
func reclaimWhileCompacting(dir string) (stop func()) { return reclaimEvery(dir, releaseEvery) }

// reclaimEvery is reclaimWhileCompacting at another pace.
func reclaimEvery(dir string, every time.Duration) (stop func()) {
	if !releaseSupported {
		return func() {}
	}
	stopc, done := make(chan struct{}), make(chan struct{})
	go everyTick(every, func() { reclaimTablePages(dir) }, stopc, done)
	return func() {
		close(stopc)
		<-done
	}
}

// everyTick calls fn every interval until stop closes; done closes when
// it has stopped.
func everyTick(every time.Duration, fn func(), stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			fn()
		}
	}
}
