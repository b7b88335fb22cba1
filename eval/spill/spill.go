// Package spill sorts and keeps byte records in bounded memory: past a
// chunk of them in memory, they wait in an unlinked temporary file, which
// a killed process leaves nowhere. A long evaluation's report and resume
// go over hundreds of thousands of calls with it.
package spill

import (
	"bufio"
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
)

// Chunk is how many bytes of records a Sorter or a File holds in memory
// by default: beyond it they wait in a temporary file. At about 60 bytes
// a call, 4 MB is some 70,000 calls.
const Chunk = 4 << 20

// Sorter sorts any number of byte records in bounded memory: records
// gather in memory up to limit bytes, are sorted and written as one
// sorted run to an unlinked temporary file, and the runs are merged as
// they are read. Below one chunk nothing touches the disk; when no
// temporary file can be made, the records stay in memory.
type Sorter struct {
	cmp   func(a, b []byte) int
	limit int
	mem   []byte  // records end to end, each its uvarint length first
	offs  []int32 // where each record of mem starts
	file  *tempFile
	runs  []span // the sorted runs in file
}

type span struct{ off, n int64 }

// NewSorter sorts by cmp, holding up to limit bytes in memory.
func NewSorter(cmp func(a, b []byte) int, limit int) *Sorter {
	return &Sorter{cmp: cmp, limit: limit}
}

// Add adds a copy of rec.
func (s *Sorter) Add(rec []byte) error {
	s.offs = append(s.offs, int32(len(s.mem)))
	s.mem = binary.AppendUvarint(s.mem, uint64(len(rec)))
	s.mem = append(s.mem, rec...)
	if len(s.mem) < s.limit {
		return nil
	}
	return s.spill()
}

// spill writes the records in memory as one sorted run.
func (s *Sorter) spill() error {
	if s.file == nil {
		f, err := newTempFile()
		if err != nil {
			s.limit = int(^uint(0) >> 1) // no file: everything in memory
			return nil
		}
		s.file = f
	}
	s.sortMem()
	start := s.file.size
	for _, o := range s.offs {
		if err := s.file.write(recordAt(s.mem, o, true)); err != nil {
			return err
		}
	}
	if err := s.file.flush(); err != nil {
		return err
	}
	s.runs = append(s.runs, span{start, s.file.size - start})
	s.mem, s.offs = s.mem[:0], s.offs[:0]
	return nil
}

func (s *Sorter) sortMem() {
	slices.SortStableFunc(s.offs, func(a, b int32) int {
		return s.cmp(recordAt(s.mem, a, false), recordAt(s.mem, b, false))
	})
}

// recordAt is the record starting at o in mem, with its length prefix
// when framed.
func recordAt(mem []byte, o int32, framed bool) []byte {
	n, w := binary.Uvarint(mem[o:])
	if framed {
		return mem[o : int(o)+w+int(n)]
	}
	return mem[int(o)+w : int(o)+w+int(n)]
}

// Each calls fn with every record in order (records that compare equal in
// the order they were added) until fn returns false; a record is valid
// only during the call. It can be called again.
func (s *Sorter) Each(fn func(rec []byte) bool) error {
	if s.file == nil {
		s.sortMem()
		for _, o := range s.offs {
			if !fn(recordAt(s.mem, o, false)) {
				return nil
			}
		}
		return nil
	}
	if len(s.offs) > 0 {
		if err := s.spill(); err != nil {
			return err
		}
	}
	h := &mergeHeap{cmp: s.cmp}
	for i, r := range s.runs {
		rd := &runReader{r: bufio.NewReaderSize(io.NewSectionReader(s.file.f, r.off, r.n), 64<<10), run: i}
		ok, err := rd.next()
		if err != nil {
			return err
		}
		if ok {
			h.rs = append(h.rs, rd)
		}
	}
	heap.Init(h)
	for h.Len() > 0 {
		rd := h.rs[0]
		if !fn(rd.rec) {
			return nil
		}
		ok, err := rd.next()
		if err != nil {
			return err
		}
		if ok {
			heap.Fix(h, 0)
		} else {
			heap.Pop(h)
		}
	}
	return nil
}

// Close removes the temporary file.
func (s *Sorter) Close() {
	if s.file != nil {
		s.file.close()
		s.file = nil
	}
	s.mem, s.offs, s.runs = nil, nil, nil
}

// runReader reads one sorted run's records.
type runReader struct {
	r   *bufio.Reader
	rec []byte
	run int // which run: equal records come in run order
}

func (r *runReader) next() (bool, error) {
	n, err := binary.ReadUvarint(r.r)
	if errors.Is(err, io.EOF) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read records back: %w", err)
	}
	r.rec = slices.Grow(r.rec[:0], int(n))[:n]
	if _, err := io.ReadFull(r.r, r.rec); err != nil {
		return false, fmt.Errorf("read records back: %w", err)
	}
	return true, nil
}

type mergeHeap struct {
	rs  []*runReader
	cmp func(a, b []byte) int
}

func (h *mergeHeap) Len() int { return len(h.rs) }
func (h *mergeHeap) Less(i, j int) bool {
	if c := h.cmp(h.rs[i].rec, h.rs[j].rec); c != 0 {
		return c < 0
	}
	return h.rs[i].run < h.rs[j].run
}
func (h *mergeHeap) Swap(i, j int) { h.rs[i], h.rs[j] = h.rs[j], h.rs[i] }
func (h *mergeHeap) Push(x any)    { h.rs = append(h.rs, x.(*runReader)) }
func (h *mergeHeap) Pop() any {
	x := h.rs[len(h.rs)-1]
	h.rs = h.rs[:len(h.rs)-1]
	return x
}

// File is a sequence of byte records read again as often as needed:
// in memory up to limit bytes, then in an unlinked temporary file (in
// memory still when none can be made).
type File struct {
	Limit int // bytes held in memory
	mem   []byte
	file  *tempFile
}

// Add adds a copy of rec at the end.
func (r *File) Add(rec []byte) error {
	if r.file != nil {
		return r.file.write(binary.AppendUvarint(nil, uint64(len(rec))), rec)
	}
	r.mem = binary.AppendUvarint(r.mem, uint64(len(rec)))
	r.mem = append(r.mem, rec...)
	if len(r.mem) < r.Limit {
		return nil
	}
	f, err := newTempFile()
	if err != nil {
		r.Limit = int(^uint(0) >> 1)
		return nil
	}
	r.file = f
	err = f.write(r.mem)
	r.mem = nil
	return err
}

// Each calls fn with every record in the order added until fn returns
// false; a record is valid only during the call. It can be called again.
func (r *File) Each(fn func(rec []byte) bool) error {
	if r.file == nil {
		for o := 0; o < len(r.mem); {
			rec := recordAt(r.mem, int32(o), true)
			n, w := binary.Uvarint(rec)
			if !fn(rec[w : w+int(n)]) {
				return nil
			}
			o += len(rec)
		}
		return nil
	}
	if err := r.file.flush(); err != nil {
		return err
	}
	rd := &runReader{r: bufio.NewReaderSize(io.NewSectionReader(r.file.f, 0, r.file.size), 64<<10)}
	for {
		ok, err := rd.next()
		if err != nil || !ok {
			return err
		}
		if !fn(rd.rec) {
			return nil
		}
	}
}

// Close removes the temporary file.
func (r *File) Close() {
	if r.file != nil {
		r.file.close()
		r.file = nil
	}
	r.mem = nil
}

// tempFile is an unlinked temporary file written through a buffer, so
// that a killed process leaves nothing behind.
type tempFile struct {
	f    *os.File
	w    *bufio.Writer
	name string // removed at close where it could not be at creation
	size int64
}

func newTempFile() (*tempFile, error) {
	f, err := os.CreateTemp("", "promptbench-spill-*")
	if err != nil {
		return nil, err
	}
	t := &tempFile{f: f, w: bufio.NewWriterSize(f, 64<<10)}
	if os.Remove(f.Name()) != nil {
		t.name = f.Name()
	}
	return t, nil
}

func (t *tempFile) write(bs ...[]byte) error {
	for _, b := range bs {
		if _, err := t.w.Write(b); err != nil {
			return fmt.Errorf("keep records in a temporary file: %w", err)
		}
		t.size += int64(len(b))
	}
	return nil
}

func (t *tempFile) flush() error {
	if err := t.w.Flush(); err != nil {
		return fmt.Errorf("keep records in a temporary file: %w", err)
	}
	return nil
}

func (t *tempFile) close() {
	t.f.Close()
	if t.name != "" {
		os.Remove(t.name)
	}
}
