package exchange

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
)

// spool holds an export written to stdout until all of it is known to be
// exportable: an unlinked temporary file, so that memory stays small
// however large the library, or memory where no temporary file can be
// made.
type spool struct {
	f   *os.File
	bw  *bufio.Writer
	mem *bytes.Buffer
}

func newSpool() *spool {
	f, err := os.CreateTemp("", "promptbench-export-*")
	if err != nil {
		return &spool{mem: &bytes.Buffer{}}
	}
	// Unlinked at once: a killed process leaves nothing behind.
	if err := os.Remove(f.Name()); err != nil {
		f.Close()
		return &spool{mem: &bytes.Buffer{}}
	}
	return &spool{f: f, bw: bufio.NewWriterSize(f, 256<<10)}
}

func (s *spool) Write(p []byte) (int, error) {
	if s.mem != nil {
		return s.mem.Write(p)
	}
	return s.bw.Write(p)
}

// copyTo writes everything spooled to w.
func (s *spool) copyTo(w io.Writer) error {
	var r io.Reader = s.mem
	if s.mem == nil {
		if err := s.bw.Flush(); err != nil {
			return fmt.Errorf("write export: %w", err)
		}
		if _, err := s.f.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("write export: %w", err)
		}
		r = s.f
	}
	if _, err := io.Copy(w, r); err != nil {
		return fmt.Errorf("write export: %w", err)
	}
	return nil
}

func (s *spool) Close() {
	if s.f != nil {
		s.f.Close()
	}
}
