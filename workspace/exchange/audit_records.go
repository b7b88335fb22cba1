package exchange

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
)

// auditRecords holds audit records one after the other, written once and
// then read at random or in order: in an unlinked temporary file, so that
// they take the system's file cache and not the process's memory, or in
// memory where no temporary file can be made.
type auditRecords struct {
	f    *os.File
	w    *bufio.Writer
	mem  []byte
	size int64 // bytes written

	unlinked bool
}

// newAuditRecords makes the temporary file in dir (the workspace: it is
// on a disk the user writes to), else in the system's temporary folder.
func newAuditRecords(dir string) *auditRecords {
	for _, d := range []string{dir, ""} {
		f, err := os.CreateTemp(d, "export-audit-*.tmp")
		if err != nil {
			continue
		}
		// Where the system allows it the file loses its name at once, so
		// that a killed export leaves nothing behind.
		r := &auditRecords{f: f, w: bufio.NewWriterSize(f, 64<<10)}
		r.unlinked = os.Remove(f.Name()) == nil
		return r
	}
	return &auditRecords{}
}

// write appends b.
func (r *auditRecords) write(b []byte) error {
	r.size += int64(len(b))
	if r.f == nil {
		r.mem = append(r.mem, b...)
		return nil
	}
	if _, err := r.w.Write(b); err != nil {
		return fmt.Errorf("export: temporary file: %w", err)
	}
	return nil
}

// done ends the writing: what was written can be read from then on.
func (r *auditRecords) done() error {
	if r.f == nil || r.w == nil {
		return nil
	}
	if err := r.w.Flush(); err != nil {
		return fmt.Errorf("export: temporary file: %w", err)
	}
	r.w = nil
	return nil
}

// readAt fills p with the bytes written at off.
func (r *auditRecords) readAt(p []byte, off int64) error {
	if r.f == nil {
		copy(p, r.mem[off:])
		return nil
	}
	if _, err := r.f.ReadAt(p, off); err != nil {
		return fmt.Errorf("export: temporary file: %w", err)
	}
	return nil
}

// reader reads all that was written, from the start.
func (r *auditRecords) reader() *bufio.Reader {
	if r.f == nil {
		return bufio.NewReader(bytes.NewReader(r.mem))
	}
	return bufio.NewReaderSize(io.NewSectionReader(r.f, 0, r.size), 64<<10)
}

// close removes the temporary file.
func (r *auditRecords) close() {
	if r.f == nil {
		return
	}
	r.f.Close()
	if !r.unlinked {
		os.Remove(r.f.Name())
	}
	r.f = nil
}
