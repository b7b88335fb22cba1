package storage

import "github.com/dgraph-io/badger/v4"

// Durable points. Update, BulkWriter.Flush, the fold of the pending log
// and the schema version's write each report a change as on disk when
// they return (the fold, by emptying the pending log that also holds its
// writes). A power cut keeps only what was synced, and a change reported
// must survive it whole, after everything written before it.
//
// Badger keeps each memtable's writes in a write-ahead log of its own,
// and when one fills it hands it to the flusher without syncing its log
// (db.go, ensureRoomForWrite), while DB.Sync syncs only the active
// memtable's log and the current value-log file (one that fills is synced
// as Badger stops writing to it). So a Sync after many unsynced commits
// leaves out whatever a memtable that filled in between holds, until the
// flusher has written it out as a table: the import's last transaction,
// which deletes its journal, could reach the disk without the versions
// written before it. Hence every read-write open syncs each commit
// (SyncWrites, options.go) before the next is written, so a log that fills
// holds only synced commits. The one open that does not, the upgrade's
// bulk rewrite, declares nothing durable until its Close, which writes
// every memtable out as a synced table (open.go, upgrade); its fold of the
// pending log syncs after each commit (commitDurably).
//
// What is proved and what is argued. durable_linux_test.go stops
// Badger's flusher, so that filled memtables stay in memory with their
// logs as they do for a while in a real import, writes through each kind
// of durable point across several memtables and value-log files, and
// checks at each point that no page of the store's write-ahead logs and
// value-log files is written but not yet on disk (dirty or under
// writeback, as the kernel counts them for each file: what a power cut
// loses); and, while the writes go on, that only the newest log of each
// kind ever holds such pages, so that nothing written later can reach
// the disk before something written earlier. It fails without SyncWrites
// in bulk opens. Argued, not proved, since no test here cuts the power:
// that a returned fsync has put the data on the disk (a disk that honours
// cache flushes); that Badger's recovery replays what its files hold and
// stops a log at its first torn entry; that the files' directory entries
// survive (Badger syncs no directory when it creates a log or a table;
// ext4 and XFS journal those entries in order, before the data synced
// after them).

// Durable point names, as the reached hook gets them.
const (
	pointUpdate = "update"
	pointBulk   = "bulk write"
	pointFold   = "pending fold"
	pointSchema = "schema version"
	pointLog    = "pending log"
)

// commitDurably commits txn and returns once it is on disk, before any
// later commit is written: Badger syncs it in an open with SyncWrites;
// the upgrade's bulk open, without, syncs here. A Sync right after each
// commit keeps a memtable that fills from holding unsynced commits, as
// SyncWrites does; a Sync after several would not.
func (s *Store) commitDurably(txn *badger.Txn) error {
	if err := txn.Commit(); err != nil {
		return err
	}
	if !s.syncWrites {
		return s.db.Sync()
	}
	return nil
}

// durable tells the reached hook, when there is one, that the store is
// about to report point's writes as on disk.
func (s *Store) durable(point string) {
	if s.reached != nil {
		s.reached(point)
	}
}
