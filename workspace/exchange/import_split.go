package exchange

import (
	"bytes"
	"fmt"
	"regexp"
	"sync"

	"promptbench/workspace"
)

// topKey is compiled when a file is first read, not at start-up.
var topKey = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*):(\s.*)?$`) })

// splitter cuts the stream of lines into the pieces the importer takes one
// at a time: the schema and taxonomy sections whole, each prompt as its
// header and then version by version, each log entry and each run. It
// reads the layout export writes (top-level keys at column 0, block lists,
// versions last in a prompt) and the same with indented lists; anything
// else is a layoutError, and the file is then read whole by the general
// YAML reader if it is small enough.
type splitter struct {
	lr  *lineReader
	im  *importer
	dec pieceDecoder
	lim workspace.ImportLimits

	seen    map[string]int // top-level keys, by line
	rank    int            // of the last list section begun: prompts 1, experiments 2, logs 3, runs 4
	sec     string
	secLine int
	mode    int
	secBuf  []byte
	listInd int // indentation of the section's list; -1 before its first item

	item     []byte // the current item; for a prompt, its header
	itemLine int
	inVers   bool // past the prompt's "versions:"
	keyInd   int  // indentation of the prompt's keys
	vInd     int  // indentation of its versions list; -1 before the first
	ver      []byte
	verLine  int
	vCount   int    // versions of the current prompt so far
	prompt   string // its name, as its header says
	lastVer  int    // size of the last version piece, to size the next
}

const (
	modeNone  = iota
	modeSmall // read whole, decoded at its end
	modeList  // a block list, item by item
)

// layoutError is a file outside the layout the splitter reads.
type layoutError struct {
	line int
	why  string
}

func (e *layoutError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.why) }

func newSplitter(lr *lineReader, im *importer, dec pieceDecoder) *splitter {
	return &splitter{lr: lr, im: im, dec: dec, lim: dec.lim, seen: map[string]int{}}
}

func (s *splitter) run() error {
	for {
		line, ok, err := s.lr.next()
		if err != nil {
			return err
		}
		if !ok {
			return s.endSection()
		}
		if err := s.feed(line, s.lr.line); err != nil {
			return err
		}
	}
}

func (s *splitter) feed(line []byte, n int) error {
	ind := indentOfBytes(line)
	rest := line[ind:]
	blank := len(bytes.Trim(rest, " \t")) == 0
	comment := !blank && rest[0] == '#'
	if ind == 0 && !blank && !comment {
		return s.column0(line, n)
	}
	switch s.mode {
	case modeSmall:
		return s.addSmall(line, n)
	case modeList:
		return s.listLine(line, n, ind, blank || comment)
	}
	if blank || comment {
		return nil
	}
	return &layoutError{n, "indented text outside any section"}
}

func indentOfBytes(l []byte) int {
	i := 0
	for i < len(l) && l[i] == ' ' {
		i++
	}
	return i
}

func isDash(rest []byte) bool {
	return len(rest) > 0 && rest[0] == '-' && (len(rest) == 1 || rest[1] == ' ')
}

// column0 handles a line that starts a top-level key, a list item of a
// list at column 0, or a document marker.
func (s *splitter) column0(line []byte, n int) error {
	switch {
	case string(line) == "---":
		if len(s.seen) == 0 {
			return nil
		}
		return &layoutError{n, "a second YAML document"}
	case isDash(line):
		if s.mode == modeList && s.listInd <= 0 {
			s.listInd = 0
			return s.newItem(line, n)
		}
		return &layoutError{n, "a list item at the top level"}
	}
	m := topKey().FindSubmatch(line)
	if m == nil {
		return &layoutError{n, "text at column 0 that is not a field of an export file"}
	}
	if err := s.endSection(); err != nil {
		return err
	}
	key := string(m[1])
	inline := bytes.TrimSpace(m[2])
	if bytes.HasPrefix(inline, []byte("#")) {
		inline = nil
	}
	if prev, ok := s.seen[key]; ok {
		return workspace.Invalidf("%s:%d: %s appears twice (first on line %d)", s.dec.name, n, key, prev)
	}
	s.seen[key] = n
	rank := 0
	switch key {
	case "schema", "taxonomy":
	case "prompts":
		rank = 1
	case "experiments":
		rank = 2
	case "logs":
		rank = 3
	case "runs":
		rank = 4
	default:
		if rank = teamSectionRank(key); rank == 0 {
			return workspace.Invalidf("%s:%d: unknown field %q; an export file has schema, taxonomy, prompts, experiments, logs, runs and audit", s.dec.name, n, key)
		}
	}
	if key != "schema" && s.seen["schema"] == 0 {
		return &layoutError{n, fmt.Sprintf("%s comes before schema; an export file starts with `schema: %s`", key, Schema)}
	}
	if rank > 0 {
		if rank < s.rank {
			return &layoutError{n, "prompts, experiments, logs and runs out of the order export writes them in"}
		}
		s.rank = rank
	}
	s.sec, s.secLine = key, n
	if rank == 0 || len(inline) > 0 {
		s.mode = modeSmall
		return s.addSmall(line, n)
	}
	s.mode, s.listInd = modeList, -1
	return nil
}

func (s *splitter) addSmall(line []byte, n int) error {
	s.secBuf = append(append(s.secBuf, line...), '\n')
	if len(s.secBuf) > s.lim.SectionBytes {
		return &layoutError{s.secLine, fmt.Sprintf("%s is over %s as written here; export writes prompts, logs and runs as block lists (one \"- \" item per line), which have no such limit", s.sec, workspace.SizeText(int64(s.lim.SectionBytes)))}
	}
	return nil
}

func (s *splitter) endSection() error {
	mode := s.mode
	s.mode = modeNone
	switch mode {
	case modeSmall:
		text := s.secBuf
		s.secBuf = nil
		if err := s.im.drain(); err != nil {
			return err
		}
		return s.dec.document(s.im, text, s.secLine, s.lim.YAMLTokens)
	case modeList:
		return s.endItem()
	}
	return nil
}

func (s *splitter) listLine(line []byte, n, ind int, blank bool) error {
	switch {
	case blank:
		if s.itemLine == 0 {
			return nil // before the first item
		}
		if s.inVers {
			if s.ver == nil {
				return nil
			}
			return s.appendVersion(line)
		}
		return s.appendItem(line)
	case s.listInd < 0:
		if !isDash(line[ind:]) {
			return &layoutError{n, fmt.Sprintf("%s: is not followed by a list", s.sec)}
		}
		s.listInd = ind
		return s.newItem(line, n)
	case ind == s.listInd && isDash(line[ind:]):
		return s.newItem(line, n)
	case ind <= s.listInd:
		return &layoutError{n, "indentation that does not match the list above"}
	case s.sec == "prompts":
		return s.promptLine(line, n, ind)
	}
	return s.appendItem(line)
}

// promptLine places a line inside a prompt: its header, or a version.
func (s *splitter) promptLine(line []byte, n, ind int) error {
	rest := line[ind:]
	if !s.inVers {
		if ind == s.keyInd && isVersionsKey(rest) {
			s.inVers, s.vInd = true, -1
			return s.beginPrompt()
		}
		return s.appendItem(line)
	}
	switch {
	case s.vInd < 0:
		if ind < s.keyInd || !isDash(rest) {
			return &layoutError{n, "versions: is not followed by a list"}
		}
		s.vInd = ind
		return s.newVersion(line, n)
	case ind == s.vInd && isDash(rest):
		return s.newVersion(line, n)
	case ind > s.vInd:
		return s.appendVersion(line)
	}
	return &layoutError{n, "a field of the prompt after its versions; export writes versions last"}
}

func isVersionsKey(rest []byte) bool {
	v, ok := bytes.CutPrefix(rest, []byte("versions:"))
	if !ok {
		return false
	}
	v = bytes.TrimSpace(v)
	return len(v) == 0 || v[0] == '#'
}

func (s *splitter) newItem(line []byte, n int) error {
	if err := s.endItem(); err != nil {
		return err
	}
	s.itemLine, s.item = n, nil
	s.inVers, s.vInd, s.ver = false, -1, nil
	s.keyInd = s.listInd + 2
	if s.sec == "prompts" && isVersionsKey(bytes.TrimLeft(line[s.listInd+1:], " ")) {
		return &layoutError{n, "a prompt that starts with its versions; export writes its name first"}
	}
	return s.appendItem(line)
}

// appendItem adds a line to the current item, dedented to the list's
// column so that the fast reader takes it; the item is a new slice each
// time (strings decoded from it share its memory).
func (s *splitter) appendItem(line []byte) error {
	s.item = appendDedented(s.item, line, s.listInd)
	if len(s.item) > s.lim.ItemBytes {
		what := map[string]string{"prompts": "prompt's header (name, description, tags, labels)", "experiments": "experiment", "logs": "log entry", "runs": "run"}[s.sec]
		return workspace.Invalidf("%s:%d: this %s is larger than %s, the limit for one item of an import file", s.dec.name, s.itemLine, what, workspace.SizeText(int64(s.lim.ItemBytes)))
	}
	return nil
}

func (s *splitter) newVersion(line []byte, n int) error {
	if err := s.endVersion(); err != nil {
		return err
	}
	s.verLine, s.ver = n, make([]byte, 0, max(256, s.lastVer+s.lastVer/4))
	return s.appendVersion(line)
}

func (s *splitter) appendVersion(line []byte) error {
	s.ver = appendDedented(s.ver, line, s.vInd)
	if len(s.ver) > s.lim.ItemBytes {
		return workspace.Invalidf("%s:%d: this version is larger than %s, the limit for one version in an import file (one text is limited to %s)", s.dec.name, s.verLine, workspace.SizeText(int64(s.lim.ItemBytes)), workspace.SizeText(int64(s.lim.TextBytes)))
	}
	return nil
}

// appendDedented appends line without up to k leading spaces: a line less
// indented than its list is blank or a comment, which dedenting keeps so.
func appendDedented(buf, line []byte, k int) []byte {
	cut := min(indentOfBytes(line), max(k, 0))
	return append(append(buf, line[cut:]...), '\n')
}

// beginPrompt decodes the prompt's header and queues its merge.
func (s *splitter) beginPrompt() error {
	text, line := s.item, s.itemLine
	s.item = nil
	fp, place, err := s.dec.head(text, line)
	if err != nil {
		return err
	}
	inline := fp.Versions // "versions: [...]" in flow style
	fp.Versions = nil
	s.prompt, s.vCount = fp.Name, len(inline)
	return s.im.queue(func() error {
		if err := s.im.beginPrompt(fp, line, place); err != nil {
			return err
		}
		for j, fv := range inline {
			var probe []exportPrompt
			at := s.dec.placeIn(text, line, fmt.Sprintf(".versions[%d]", j), fmt.Sprintf("versions[%d]", j), &probe)
			if err := s.im.version(fv, at); err != nil {
				return err
			}
		}
		return nil
	}, nil, len(text))
}

// endVersion hands the version's piece to the pipeline.
func (s *splitter) endVersion() error {
	if s.ver == nil {
		return nil
	}
	job := &importJob{dec: s.dec, prompt: s.prompt, text: s.ver, line: s.verLine, index: s.vCount, encode: s.im.spill != nil}
	s.lastVer = len(s.ver)
	s.ver = nil
	s.vCount++
	return s.im.queue(func() error { return s.im.planVersion(job.res) }, job, len(job.text))
}

func (s *splitter) endItem() error {
	if s.itemLine == 0 {
		return nil
	}
	text, line := s.item, s.itemLine
	switch s.sec {
	case "prompts":
		var err error
		if !s.inVers {
			err = s.beginPrompt()
		} else {
			err = s.endVersion()
		}
		s.item, s.itemLine, s.inVers = nil, 0, false
		if err != nil {
			return err
		}
		return s.im.queue(s.im.endPrompt, nil, 0)
	case "experiments":
		s.item, s.itemLine = nil, 0
		return s.im.queue(func() error {
			fe, place, err := s.dec.experiment(text, line)
			if err != nil {
				return err
			}
			return s.im.experiment(fe, place, line)
		}, nil, len(text))
	case "logs":
		s.item, s.itemLine = nil, 0
		return s.im.queue(func() error {
			l, place, err := s.dec.log(text, line, s.im.logCount)
			if err != nil {
				return err
			}
			return s.im.log(l, place, line, text, line)
		}, nil, len(text))
	case "runs":
		s.item, s.itemLine = nil, 0
		return s.im.queue(func() error {
			r, place, err := s.dec.run(text, line, s.im.runCount)
			if err != nil {
				return err
			}
			return s.im.run(r, place, line, text, line)
		}, nil, len(text))
	default:
		s.item, s.itemLine = nil, 0
		return s.im.queue(func() error { return s.dec.teamItem(s.im, s.sec, text, line) }, nil, len(text))
	}
}
