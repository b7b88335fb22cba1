package evalrun

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"time"

	"promptbench/eval/report"
	"promptbench/workspace"
)

// spool keeps what a new run's report needs of each finished call (about
// 60 bytes of it) in a temporary file while the run goes on, instead of
// in memory: a run's memory then does not grow with its calls. The report
// reads them back once the calls are over (into), when the store's own
// buffers are mostly gone: in memory, 400,000 calls held 31 MB all
// through the run and made the collector work hard near the soft memory
// limit (eval_memory.go).
type spool struct {
	f    *os.File
	w    *bufio.Writer
	name string // removed at close where it could not be at creation
	err  error  // the first write error: the report then reads the store
	// Strings repeated in every record are written as their index here.
	variants map[variantKey]uint64
	specs    map[string]uint64
	buf      []byte
}

type variantKey struct {
	prompt  string
	version int
	model   string
}

// newSpool creates the temporary file; the caller closes the spool.
func newSpool() (*spool, error) {
	f, err := os.CreateTemp("", "promptbench-results-*")
	if err != nil {
		return nil, err
	}
	s := &spool{f: f, w: bufio.NewWriterSize(f, 64<<10), variants: map[variantKey]uint64{}, specs: map[string]uint64{}}
	// Unlinked at once where the system allows it, so that a killed run
	// leaves nothing behind.
	if os.Remove(f.Name()) != nil {
		s.name = f.Name()
	}
	return s, nil
}

// Record kinds: a call, or a string the following records refer to.
const (
	spoolCall byte = iota
	spoolVariant
	spoolSpec
)

const (
	callCached = 1 << iota
	callErr
)

const (
	scoreHasPass = 1 << iota
	scorePass
	scoreErr
)

// add writes what the report needs of e. A cancelled call is no result.
func (s *spool) add(e workspace.LogEntry) {
	if s.err != nil || e.Cancelled {
		return
	}
	b := s.buf[:0]
	vk := variantKey{e.Prompt, e.Version, e.Model}
	v, ok := s.variants[vk]
	if !ok {
		v = uint64(len(s.variants))
		s.variants[vk] = v
		b = append(b, spoolVariant)
		b = appendString(b, e.Prompt)
		b = binary.AppendUvarint(b, uint64(e.Version))
		b = appendString(b, e.Model)
	}
	for _, sc := range e.Scores {
		if _, ok := s.specs[sc.By]; !ok {
			s.specs[sc.By] = uint64(len(s.specs))
			b = append(b, spoolSpec)
			b = appendString(b, sc.By)
		}
	}
	var flags byte
	if e.Cached {
		flags |= callCached
	}
	if e.Error != "" {
		flags |= callErr
	}
	b = append(b, spoolCall, flags)
	b = binary.AppendUvarint(b, v)
	b = appendString(b, e.ID)
	b = appendString(b, string(e.Case))
	b = binary.AppendUvarint(b, uint64(e.Repeat))
	b = binary.AppendVarint(b, int64(e.Latency))
	b = binary.AppendVarint(b, int64(e.InputTokens))
	b = binary.AppendVarint(b, int64(e.OutputTokens))
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(e.Cost))
	b = binary.AppendUvarint(b, uint64(len(e.Scores)))
	for _, sc := range e.Scores {
		var f byte
		if sc.Pass != nil {
			f |= scoreHasPass
			if *sc.Pass {
				f |= scorePass
			}
		}
		if report.IsScorerError(sc) {
			f |= scoreErr
		}
		b = append(b, f)
		b = binary.AppendUvarint(b, s.specs[sc.By])
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(sc.Value))
	}
	s.buf = b
	if _, err := s.w.Write(b); err != nil {
		s.err = fmt.Errorf("keep results in %s: %w", s.f.Name(), err)
	}
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// into reads the calls back into res, in the order they were added.
func (s *spool) into(res *report.Results) error {
	if s.err != nil {
		return s.err
	}
	if err := s.w.Flush(); err != nil {
		return err
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	r := &spoolReader{r: bufio.NewReaderSize(s.f, 64<<10)}
	var variants []variantKey
	var specs []string
	var scores []workspace.Score
	yes, no := true, false
	for {
		kind, err := r.r.ReadByte()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		switch kind {
		case spoolVariant:
			variants = append(variants, variantKey{prompt: r.string(), version: int(r.uvarint()), model: r.string()})
		case spoolSpec:
			specs = append(specs, r.string())
		case spoolCall:
			flags := r.byte()
			v := r.uvarint()
			if v >= uint64(len(variants)) {
				return fmt.Errorf("read results back from %s: variant %d of %d", s.f.Name(), v, len(variants))
			}
			vk := variants[v]
			e := workspace.LogEntry{ID: r.string(), Prompt: vk.prompt, Version: vk.version, Model: vk.model,
				Case: workspace.CaseID(r.string()), Repeat: int(r.uvarint()), Cached: flags&callCached != 0}
			if flags&callErr != 0 {
				e.Error = "error"
			}
			e.Latency = time.Duration(r.varint())
			e.InputTokens, e.OutputTokens = int(r.varint()), int(r.varint())
			e.Cost = r.float()
			scores = scores[:0]
			for range r.uvarint() {
				f := r.byte()
				j := r.uvarint()
				if j >= uint64(len(specs)) {
					return fmt.Errorf("read results back from %s: scorer %d of %d", s.f.Name(), j, len(specs))
				}
				sc := workspace.Score{By: specs[j], Value: r.float()}
				if f&scoreHasPass != 0 {
					sc.Pass = &no
					if f&scorePass != 0 {
						sc.Pass = &yes
					}
				}
				if f&scoreErr != 0 {
					sc.Error = "error"
				}
				scores = append(scores, sc)
			}
			e.Scores = scores
			if r.err != nil {
				return r.err
			}
			res.Add(e)
		default:
			return fmt.Errorf("read results back from %s: record kind %d", s.f.Name(), kind)
		}
		if r.err != nil {
			return r.err
		}
	}
}

func (s *spool) close() {
	s.f.Close()
	if s.name != "" {
		os.Remove(s.name)
	}
}

// spoolReader reads a spool's fields, keeping the first error.
type spoolReader struct {
	r   *bufio.Reader
	err error
}

func (r *spoolReader) byte() byte {
	b, err := r.r.ReadByte()
	r.fail(err)
	return b
}

func (r *spoolReader) uvarint() uint64 {
	n, err := binary.ReadUvarint(r.r)
	r.fail(err)
	return n
}

func (r *spoolReader) varint() int64 {
	n, err := binary.ReadVarint(r.r)
	r.fail(err)
	return n
}

func (r *spoolReader) float() float64 {
	var b [8]byte
	_, err := io.ReadFull(r.r, b[:])
	r.fail(err)
	return math.Float64frombits(binary.LittleEndian.Uint64(b[:]))
}

func (r *spoolReader) string() string {
	n := r.uvarint()
	if r.err != nil || n > 1<<20 {
		r.fail(errors.New("bad string length"))
		return ""
	}
	b := make([]byte, n)
	_, err := io.ReadFull(r.r, b)
	r.fail(err)
	return string(b)
}

func (r *spoolReader) fail(err error) {
	if err != nil && r.err == nil {
		r.err = fmt.Errorf("read results back: %w", err)
	}
}
