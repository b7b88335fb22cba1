package exchange

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
)

// spill holds the encoded records an import will write (new versions, then
// log entries, then runs, in the order they are planned) between reading
// the file and writing the store: in memory while they are few, then in a
// temporary file in the workspace, so that a large file never needs its
// whole content in memory.
type spill struct {
	dir   string
	after int // bytes kept in memory before moving to a file
	mem   bytes.Buffer
	f     *os.File
	w     *bufio.Writer

	unlinked bool
}

func (s *spill) add(val []byte) error {
	var hdr [binary.MaxVarintLen64]byte
	n := binary.PutUvarint(hdr[:], uint64(len(val)))
	if s.f == nil && s.mem.Len()+n+len(val) > s.after {
		f, err := os.CreateTemp(s.dir, "import-*.tmp")
		if err != nil {
			return fmt.Errorf("import: temporary file: %w", err)
		}
		// Where the system allows it the file loses its name at once, so
		// that a killed import leaves nothing behind.
		s.unlinked = os.Remove(f.Name()) == nil
		s.f, s.w = f, bufio.NewWriterSize(f, 256<<10)
		if _, err := s.w.Write(s.mem.Bytes()); err != nil {
			return fmt.Errorf("import: temporary file: %w", err)
		}
		s.mem = bytes.Buffer{}
	}
	var w io.Writer = &s.mem
	if s.w != nil {
		w = s.w
	}
	if _, err := w.Write(hdr[:n]); err != nil {
		return fmt.Errorf("import: temporary file: %w", err)
	}
	if _, err := w.Write(val); err != nil {
		return fmt.Errorf("import: temporary file: %w", err)
	}
	return nil
}

// reader reads the records back, in order.
func (s *spill) reader() (*spillReader, error) {
	if s.f == nil {
		return &spillReader{r: bufio.NewReader(bytes.NewReader(s.mem.Bytes()))}, nil
	}
	if err := s.w.Flush(); err != nil {
		return nil, fmt.Errorf("import: temporary file: %w", err)
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("import: temporary file: %w", err)
	}
	return &spillReader{r: bufio.NewReaderSize(s.f, 256<<10)}, nil
}

// close removes the temporary file; a nil spill (dry run) has none.
func (s *spill) close() {
	if s == nil || s.f == nil {
		return
	}
	name := s.f.Name()
	s.f.Close()
	if !s.unlinked {
		os.Remove(name)
	}
	s.f, s.w = nil, nil
}

type spillReader struct {
	r *bufio.Reader
}

// next returns the next record in a new slice (the store keeps it until
// its batch is written).
func (r *spillReader) next() ([]byte, error) {
	n, err := binary.ReadUvarint(r.r)
	if err != nil {
		return nil, fmt.Errorf("import: temporary file: %w", err)
	}
	val := make([]byte, n)
	if _, err := io.ReadFull(r.r, val); err != nil {
		return nil, fmt.Errorf("import: temporary file: %w", err)
	}
	return val, nil
}
