package exchange

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"promptbench/workspace"
)

// lineReader reads an import file a line at a time without ever holding
// more than one line (up to lim.ItemBytes) of it: it refuses invalid
// UTF-8 (naming line and byte offset), lines over the item limit and files
// over the size limit as soon as it reads them. CRLF ends a line as LF
// does (YAML reads both as one line break). While the file is still small
// enough for the general YAML reader it also keeps what it read, so that a
// file in another layout than export's can be read whole after all.
type lineReader struct {
	name   string
	r      *bufio.Reader
	lim    workspace.ImportLimits
	line   int    // number of the line last returned
	offset int64  // byte offset of the next line
	buf    []byte // the line; the reader's own buffer when the line fits it
	own    []byte // where lines longer than the reader's buffer are put together
	kept   []byte // the file so far, while it is under lim.OtherLayoutBytes
	keep   bool
	eof    bool
}

// newLineReader reads r through a 64 KB buffer: r itself when it is a
// bufio.Reader at least that large (a folder's files share one).
func newLineReader(name string, r io.Reader, lim workspace.ImportLimits) *lineReader {
	return &lineReader{name: name, r: bufio.NewReaderSize(r, 64<<10), lim: lim, keep: true}
}

// next returns the next line without its line break, valid until the next
// call; ok is false at the end of the file.
func (lr *lineReader) next() (line []byte, ok bool, err error) {
	if lr.eof {
		return nil, false, nil
	}
	lr.own = lr.own[:0]
	for {
		chunk, err := lr.r.ReadSlice('\n')
		if err == nil && len(lr.own) == 0 {
			lr.buf = chunk // the whole line is in the reader's buffer: no copy
			break
		}
		lr.own = append(lr.own, chunk...)
		lr.buf = lr.own
		if len(lr.own) > lr.lim.ItemBytes+2 {
			return nil, false, lr.tooLong()
		}
		if err == nil {
			break
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if errors.Is(err, io.EOF) {
			lr.eof = true
			if len(lr.own) == 0 {
				return nil, false, nil
			}
			break
		}
		return nil, false, fmt.Errorf("read %s: %w", lr.name, err)
	}
	if len(lr.buf) > lr.lim.ItemBytes+2 {
		return nil, false, lr.tooLong()
	}
	start := lr.offset
	lr.offset += int64(len(lr.buf))
	lr.line++
	if lr.offset > lr.lim.Bytes {
		return nil, false, workspace.Invalidf("%s:%d: the file is larger than %s, the limit for import files: export fewer prompts (by name or tag) and import the parts", lr.name, lr.line, workspace.SizeText(int64(lr.lim.Bytes)))
	}
	if lr.keep {
		if lr.offset <= int64(lr.lim.OtherLayoutBytes) {
			// Grown as the file is read: made at its largest size at
			// once, it cost each file of a folder 8 MB.
			lr.kept = append(lr.kept, lr.buf...)
		} else {
			lr.keep, lr.kept = false, nil
		}
	}
	bom := bomLen(lr.buf, lr.line)
	line = lr.buf[bom:]
	line = bytes.TrimSuffix(line, []byte("\n"))
	line = bytes.TrimSuffix(line, []byte("\r"))
	if !utf8.Valid(line) {
		at := workspace.InvalidUTF8At(string(line))
		return nil, false, workspace.Invalidf("%s:%d: byte offset %d (column %d, 0x%02x) is not valid UTF-8; import files are UTF-8 text. Convert the file first (e.g. with iconv -f latin1 -t utf-8)",
			lr.name, lr.line, start+int64(bom+at), at+1, line[at])
	}
	return line, true, nil
}

func bomLen(raw []byte, line int) int {
	if line == 1 && bytes.HasPrefix(raw, []byte("\xef\xbb\xbf")) {
		return 3
	}
	return 0
}

// whole returns the whole file when it fits lim.OtherLayoutBytes: what was
// kept plus the rest; ok is false when the file is larger.
func (lr *lineReader) whole() ([]byte, bool, error) {
	if !lr.keep {
		return nil, false, nil
	}
	room := int64(lr.lim.OtherLayoutBytes) - int64(len(lr.kept))
	rest, err := io.ReadAll(io.LimitReader(lr.r, room+1))
	if err != nil {
		return nil, false, fmt.Errorf("read %s: %w", lr.name, err)
	}
	if int64(len(rest)) > room {
		return nil, false, nil
	}
	data := append(lr.kept, rest...)
	if !utf8.Valid(data) {
		return nil, false, workspace.CheckUTF8(lr.name, data)
	}
	return data, true, nil
}

func (lr *lineReader) tooLong() error {
	return workspace.Invalidf("%s:%d: line longer than %s; import files hold at most %s in one line (one text is limited to %s): this is not a file export wrote",
		lr.name, lr.line+1, workspace.SizeText(int64(lr.lim.ItemBytes)), workspace.SizeText(int64(lr.lim.ItemBytes)), workspace.SizeText(int64(lr.lim.TextBytes)))
}
