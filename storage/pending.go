package storage

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// The pending log. A read-write open of Badger is most of what a short
// writing command costs: at 50,000 prompts about 16 ms to open and 58 ms to
// close, the close being mostly an fsync of every table the open mapped
// (each a flush of the disk's cache) plus a new level-0 table for a few
// keys, which in turn makes compaction due every few commands. A command
// that writes a few keys (a commit, a label, the log of a run) therefore
// opens Badger read-only, as a reading command does, and appends its
// transaction to pendingFile, synced before Update returns: one fsync.
//
// Every open reads the pending log once Badger is open and lays its writes
// over what Badger holds (overlay.go), so readers and later writers see
// them. The next read-write open (the background maintenance, an import)
// folds them into Badger and empties the file; an open that finds the log
// past its hard limit does that itself, so the log never grows without
// bound.
//
// Crash safety: a record counts once it is whole on disk (its length and
// checksum match), and only a synced record is ever reported committed. A
// process killed while appending leaves a torn tail, which readers ignore
// and the next writer cuts off before it appends. A fold commits the
// writes into Badger durably before it empties the file; killed in
// between, the next fold writes them again, which changes nothing: each
// write sets or deletes a key outright.
//
// Locking: writers of the pending log (pending-mode and read-write opens)
// hold an exclusive flock on the file, taken before Badger's lock and never
// waited for while holding another (see lockPending); readers take none,
// and cannot meet a fold, which holds Badger's exclusive lock.
const pendingFile = "PENDING"

// The pending log's bounds. Past the soft one the store is due for the
// background maintenance, which folds it; past the hard one a writing
// open folds it first. Every open reads the whole log, so it stays small:
// about 256 commits of a version at the soft bound.
const (
	pendingSoftRecords = 256
	pendingSoftBytes   = 1 << 20
	pendingHardRecords = 4 * pendingSoftRecords
	pendingHardBytes   = 16 << 20
)

// A record is one transaction: an 8-byte header (the body's length and its
// CRC-32C, big-endian) and the body, a format byte then the writes: an op
// byte, the key's length (uvarint) and the key, and for a set the value's
// length and the value.
const (
	recordHeader  = 8
	recordFormat  = 1
	opSet         = 1
	opDelete      = 2
	maxRecordBody = 1 << 30
)

// crcTable is made when the pending log is first used, not at start-up.
var crcTable = sync.OnceValue(func() *crc32.Table { return crc32.MakeTable(crc32.Castagnoli) })

// write is one pending write: a key set to val, or deleted.
type write struct {
	key, val []byte
	del      bool
}

// encodeRecord appends the record of writes to b.
func encodeRecord(b []byte, writes []write) []byte {
	start := len(b)
	b = append(b, make([]byte, recordHeader)...)
	b = append(b, recordFormat)
	for _, w := range writes {
		op := byte(opSet)
		if w.del {
			op = opDelete
		}
		b = append(b, op)
		b = binary.AppendUvarint(b, uint64(len(w.key)))
		b = append(b, w.key...)
		if !w.del {
			b = binary.AppendUvarint(b, uint64(len(w.val)))
			b = append(b, w.val...)
		}
	}
	body := b[start+recordHeader:]
	binary.BigEndian.PutUint32(b[start:], uint32(len(body)))
	binary.BigEndian.PutUint32(b[start+4:], crc32.Checksum(body, crcTable()))
	return b
}

// parsePending returns the writes of the whole records at the start of
// data, in order, how many records that is and where the last one ends.
// Whatever follows (a torn or foreign tail) is not part of the log.
func parsePending(data []byte) (writes []write, records int, end int) {
	for {
		rest := data[end:]
		if len(rest) < recordHeader {
			return writes, records, end
		}
		n := int(binary.BigEndian.Uint32(rest))
		if n < 1 || n > maxRecordBody || n > len(rest)-recordHeader {
			return writes, records, end
		}
		body := rest[recordHeader : recordHeader+n]
		if crc32.Checksum(body, crcTable()) != binary.BigEndian.Uint32(rest[4:]) || body[0] != recordFormat {
			return writes, records, end
		}
		ws, ok := decodeBody(body[1:])
		if !ok {
			return writes, records, end
		}
		writes = append(writes, ws...)
		records++
		end += recordHeader + n
	}
}

func decodeBody(b []byte) ([]write, bool) {
	var ws []write
	field := func() ([]byte, bool) {
		n, w := binary.Uvarint(b)
		if w <= 0 || n > uint64(len(b)-w) {
			return nil, false
		}
		f := b[w : w+int(n)]
		b = b[w+int(n):]
		return f, true
	}
	for len(b) > 0 {
		op := b[0]
		b = b[1:]
		k, ok := field()
		if !ok || len(k) == 0 {
			return nil, false
		}
		switch op {
		case opDelete:
			ws = append(ws, write{key: k, del: true})
		case opSet:
			v, ok := field()
			if !ok {
				return nil, false
			}
			ws = append(ws, write{key: k, val: v})
		default:
			return nil, false
		}
	}
	return ws, true
}

// readPending reads the pending log of a store for a reader; a store
// without one has nothing pending.
func readPending(dir string) (*overlay, error) {
	data, err := os.ReadFile(filepath.Join(dir, pendingFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("open store %s: read pending writes: %w", dir, err)
	}
	writes, records, end := parsePending(data)
	return newOverlay(writes, records, int64(end)), nil
}

// pendingLog is the pending log held by a writer, locked.
type pendingLog struct {
	f    *os.File
	path string
	// end is where the next record goes: the end of the last whole one.
	end int64
	// torn is set while the file holds bytes past end (a killed writer's
	// torn record), cut off before the next append.
	torn bool
}

// load reads the log the writer holds.
func (p *pendingLog) load() (*overlay, error) {
	fi, err := p.f.Stat()
	if err != nil {
		return nil, err
	}
	data := make([]byte, fi.Size())
	if _, err := io.ReadFull(io.NewSectionReader(p.f, 0, fi.Size()), data); err != nil {
		return nil, err
	}
	writes, records, end := parsePending(data)
	p.end, p.torn = int64(end), int64(end) < fi.Size()
	return newOverlay(writes, records, p.end), nil
}

// appendRecord writes one record after the last whole one and syncs it:
// when it returns nil the record survives kill -9 and power loss.
func (p *pendingLog) appendRecord(rec []byte) error {
	if p.torn {
		if err := p.truncate(p.end); err != nil {
			return err
		}
	}
	if _, err := p.f.WriteAt(rec, p.end); err != nil {
		p.torn = true
		return fmt.Errorf("write pending log %s: %w", p.path, err)
	}
	if err := p.f.Sync(); err != nil {
		// Whether it reached the disk is unknown: cut it off, so that
		// what was reported failed does not appear later.
		p.torn = true
		_ = p.truncate(p.end)
		return fmt.Errorf("sync pending log %s: %w", p.path, err)
	}
	p.end += int64(len(rec))
	return nil
}

// truncate cuts the log at end, durably.
func (p *pendingLog) truncate(end int64) error {
	if err := p.f.Truncate(end); err != nil {
		return fmt.Errorf("truncate pending log %s: %w", p.path, err)
	}
	if err := p.f.Sync(); err != nil {
		return fmt.Errorf("sync pending log %s: %w", p.path, err)
	}
	p.end, p.torn = end, false
	return nil
}

// close releases the log and its lock.
func (p *pendingLog) close() {
	if p != nil && p.f != nil {
		p.f.Close()
		p.f = nil
	}
}
