package storage

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/dgraph-io/badger/v4"
)

// writeLoad is what a read-write open writes: it sizes the memtable.
type writeLoad int

const (
	// singleWrites: a command's transaction or a few, each synced.
	singleWrites writeLoad = iota
	// bulkLoad: one large load (an import), each commit synced.
	bulkLoad
	// logBatches: batches of a few MB each, one after another, each
	// commit synced (an evaluation's log entries).
	logBatches
	// upgradeLoad: a schema migration rewriting a kind of record whole,
	// in transactions of about 128 KB, written out by its close.
	upgradeLoad
)

// loadOf is the write load opts describe.
func loadOf(opts Options) writeLoad {
	switch {
	case opts.upgrade:
		return upgradeLoad
	case opts.Bulk && opts.Batched:
		return logBatches
	case opts.Bulk:
		return bulkLoad
	}
	return singleWrites
}

// badgerOptions are sized for a desktop prompt library (notes/badger.md):
// Badger's defaults preallocate ≈2 GiB of sparse files and caches sized for a
// server. The memtable and value-log sizes set the apparent size of the store
// directory (≈48 MiB here); the caches bound memory.
func badgerOptions(dir string, readOnly bool, load writeLoad, logger *slog.Logger) badger.Options {
	opts := badger.DefaultOptions(dir).
		// The level shape bounds what one compaction step rewrites
		// (compact.go): every open shares it, because a level's targets
		// are computed at open and a table's size when it is written.
		WithBaseTableSize(baseTableSize).
		WithBaseLevelSize(baseLevelSize).
		WithLevelSizeMultiplier(levelSizeMultiplier).
		WithReadOnly(readOnly).
		// A small memtable makes a read-write open cheap (Badger zeroes its
		// arena) and still takes transactions of 300 KB; values above 64 KB
		// go to the value log.
		WithMemTableSize(2 << 20).
		WithValueThreshold(64 << 10).
		// Badger refuses a value larger than a value-log file, and a
		// version may take 8 MB (limits.go): 16 MB leaves room for its
		// JSON escapes. (Every read-write open starts a new value-log file
		// of this size, sparse, and syncs it after each commit.)
		WithValueLogFileSize(16 << 20).
		WithNumMemtables(2).
		WithBlockCacheSize(8 << 20).
		// The index cache only serves encrypted stores: none here.
		WithIndexCacheSize(0).
		// Updates of one Store run one at a time (Store.Update) and no
		// other process writes meanwhile, so no transaction can conflict:
		// tracking what each one read is wasted work.
		WithDetectConflicts(false).
		WithNumCompactors(2).
		WithNumLevelZeroTablesStall(l0Stall).
		WithMetricsEnabled(false).
		// Durable commits: Commit returns after the write-ahead log is
		// synced. It costs the same as db.Sync() after each commit and
		// also covers schema writes and migrations. Bulk loads keep it
		// too: a Sync after many unsynced commits would leave out those
		// in a memtable that filled meanwhile (durable.go).
		WithSyncWrites(true)
	if readOnly {
		// A reading command lives for one scan or a few lookups: it
		// reads a block about once, so a cache of them only adds work
		// and memory (an export of 10,000 prompts kept 9 MB of blocks).
		// Badger needs one where tables are compressed.
		opts = opts.WithBlockCacheSize(1 << 20)
	}
	if load == bulkLoad || load == logBatches {
		// In a bulk load (an import) a larger memtable leaves fewer
		// level-0 tables, and no compaction competes with the load for
		// the two cores: the background maintain compacts afterwards, as
		// for any writer. Its commits are synced one by one all the
		// same (SyncWrites, above): the bulk writer's transactions, of
		// up to 15% of the memtable each, are each synced, where a batch
		// used to be synced once at its end, which left out what a
		// memtable that filled during the batch held (durable.go).
		opts = opts.WithMemTableSize(16 << 20).WithNumCompactors(0)
	}
	if load == upgradeLoad {
		// A migration reads each block of the records it rewrites once
		// and writes a new key for each, many memtables' worth: its
		// close writes them all out, synced, before the next open
		// records the new schema version (a kill before that only makes
		// the next open run it again), and it needs the compactors to
		// keep level 0 short, but no cache of blocks. The compactions
		// it sets off reach the deepest levels, whose tables are 4 MB
		// and more: building one took buffers of up to 16 MB, several
		// at once. With tables of the base level's size there too the
		// upgrade of 500,000 events peaked a quarter lower (the level
		// targets stay the same; later compactions write the usual
		// sizes again).
		opts = opts.WithSyncWrites(false).WithBlockCacheSize(1 << 20)
		opts.TableSizeMultiplier = 1
	}
	if load == logBatches {
		// Log batches come one after another through a store held open
		// while they come, the memtable written out as a level-0 table
		// each time it fills. A memtable costs about four times its size
		// in memory (its arena, its write-ahead file mapped, the table
		// builder's buffers when it is written out): at 16 MB a
		// 100,000-row evaluation peaked some 40 MB higher than at 4 MB.
		// Its reads (the response cache, by random keys) would not use a
		// block cache, and mostly miss: each looks into every level-0
		// table, and a bloom filter wrongly letting a key through costs
		// the read of a block. Badger sizes its filters for fewer bits
		// than the rate asked for needs (y.BloomBitsPerKey returns the
		// number of probes, which is then used as bits per key): 0.001
		// gives 10 bits per key and lets about 0.85% through, which at 60
		// level-0 tables made every cache read decompress a block and
		// kept 15 MB of tables mapped in. 0.00001 gives 17 bits per key
		// and 0.03%, for 9 KB more per table of 10,000 keys: at the 110
		// level-0 tables of a 400,000-row run, 0.0001 (14 bits, 0.12%)
		// still let one read in eight search a table's index.
		opts = opts.WithMemTableSize(4 << 20).WithBlockCacheSize(1 << 20).WithBloomFalsePositive(0.00001)
		// The store stays open as long as the batches come and no
		// other process waits for it, so a long evaluation may add more
		// level-0 tables than l0Stall while no compactor runs: Badger
		// would stall its writes for good. The tables are merged after
		// the run instead (Options.Batched).
		opts = opts.WithNumLevelZeroTablesStall(batchedL0Stall)
	}
	if logger == nil {
		return opts.WithLogger(nil)
	}
	return opts.WithLogger(slogLogger{logger})
}

// slogLogger routes Badger's warnings and errors to the caller's logger. Its
// info and debug lines are noise for a CLI, and the lock and crash-recovery
// failures Open handles itself would only alarm the user.
type slogLogger struct{ l *slog.Logger }

func (s slogLogger) Errorf(format string, args ...any) {
	s.log(slog.LevelError, format, args)
}

func (s slogLogger) Warningf(format string, args ...any) {
	s.log(slog.LevelWarn, format, args)
}

func (slogLogger) Infof(string, ...any)  {}
func (slogLogger) Debugf(string, ...any) {}

func (s slogLogger) log(level slog.Level, format string, args []any) {
	msg := strings.TrimSpace(fmt.Sprintf(format, args...))
	if isLockMessage(msg) || isTruncateMessage(msg) {
		return
	}
	s.l.Log(context.Background(), level, firstLine(msg), "component", "badger")
}

// Badger wraps its errors with fmt's %+v, so errors.Is cannot see through
// them: the message is the only reliable sign of these two cases.
func isLockMessage(msg string) bool {
	return strings.Contains(msg, "Cannot acquire directory lock")
}

func isTruncateMessage(msg string) bool {
	return strings.Contains(msg, "Log truncate required")
}

var (
	// errBusy marks an attempt that failed because another process holds
	// the store; Open retries it.
	errBusy = errors.New("store busy")
	// errStepped ends an attempt that only merged level 0 (the fallback
	// in compact.go); Open opens again.
	errStepped = errors.New("level 0 merged")
)

// needsWriterError is a read-only attempt that needs a read-write open first:
// crash recovery or a schema migration.
type needsWriterError struct {
	dir    string
	reason string
}

func (e *needsWriterError) Error() string {
	return fmt.Sprintf("open store %s: %s, which needs a read-write open", e.dir, e.reason)
}

// classifyOpenError turns Badger's open errors into ours, without Badger's
// multi-line details.
func classifyOpenError(dir string, readOnly bool, err error) error {
	msg := err.Error()
	switch {
	case isLockMessage(msg):
		return fmt.Errorf("open store %s: %w", dir, errBusy)
	case isTruncateMessage(msg) && readOnly:
		return &needsWriterError{dir: dir, reason: "a writer stopped without closing it"}
	case !readOnly && (strings.Contains(msg, "permission denied") || strings.Contains(msg, "read-only file system")):
		return notWritable(dir, cleanErr(err))
	}
	return fmt.Errorf("open store %s: %w", dir, cleanErr(err))
}

// cleanErr keeps the first line of a Badger error: some carry wrapped detail
// and stack-like context no user should see. errors.Is still sees the
// original.
func cleanErr(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if line := firstLine(msg); line != msg {
		return &shortError{msg: line, err: err}
	}
	return err
}

type shortError struct {
	msg string
	err error
}

func (e *shortError) Error() string { return e.msg }
func (e *shortError) Unwrap() error { return e.err }

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return strings.TrimSpace(s[:i])
	}
	return s
}
