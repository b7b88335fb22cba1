package served

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"promptbench/workspace/ab"
	"promptbench/workspace/exportfile"
	"promptbench/workspace/template"
)

// snapshot is one loaded file: immutable once built, so that renders read
// it without locks while a reload builds the next one.
type snapshot struct {
	path        string
	stamp       stamp
	prompts     map[string]*prompt
	experiments map[string]*experiment
}

type prompt struct {
	name     string
	versions []*version // versions[i].number == i+1
	labels   map[string]int
}

type version struct {
	prompt   string
	number   int
	hash     string
	messages []exportfile.Message
	config   exportfile.ModelConfig

	// Templates are parsed on first use and kept: a file of 10,000
	// prompts loads without parsing 100,000 templates it may never render.
	once     sync.Once
	parsed   []*template.Template
	included *template.Template // the messages joined, as an include renders them
	parseErr error
}

type experiment struct {
	exportfile.Experiment
	layout ab.Layout
}

// load reads and checks the whole file; nothing of it is used unless all
// of it is good.
func load(path string, lim exportfile.Limits) (*snapshot, error) {
	st, err := statFile(path)
	if err != nil {
		return nil, err
	}
	if st.size > lim.Bytes {
		return nil, exportfile.Invalidf("%s: %s is over the %s an export file may have", path, exportfile.SizeText(st.size), exportfile.SizeText(lim.Bytes))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read prompts: %w", err)
	}
	_, items, exps, err := sections(path, data)
	if err != nil {
		return nil, err
	}
	if len(items) > lim.Prompts {
		return nil, exportfile.Invalidf("%s: %d prompts, more than the %d an export file may hold", path, len(items), lim.Prompts)
	}
	snap := &snapshot{path: path, stamp: st, prompts: make(map[string]*prompt, len(items)), experiments: map[string]*experiment{}}
	prompts, err := decodeAll(path, items)
	if err != nil {
		return nil, err
	}
	for i, p := range prompts {
		if _, dup := snap.prompts[p.name]; dup {
			return nil, exportfile.Invalidf("%s:%d: prompt %s appears twice", path, items[i].line, p.name)
		}
		snap.prompts[p.name] = p
	}
	for _, it := range exps {
		fe, err := decodeExperiment(path, it)
		if err != nil {
			return nil, err
		}
		e, err := newExperiment(snap, fe)
		if err != nil {
			return nil, exportfile.Invalidf("%s:%d: experiment %s: %v", path, it.line, fe.Name, err)
		}
		snap.experiments[e.Name] = e
	}
	return snap, nil
}

// decodeAll reads the prompt items on every core: the file is read once,
// its items are independent, and a large file loads in a fraction of the
// time. The first error in file order is the one reported.
func decodeAll(path string, items []item) ([]*prompt, error) {
	out := make([]*prompt, len(items))
	errs := make([]error, len(items))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(items)/64))
	var wg sync.WaitGroup
	var next atomic.Int64
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(items) {
					return
				}
				fp, err := decodePrompt(path, items[i])
				if err == nil {
					out[i], err = newPrompt(path, items[i].line, fp)
				}
				errs[i] = err
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func newPrompt(path string, line int, fp exportfile.Prompt) (*prompt, error) {
	if fp.Name == "" {
		return nil, exportfile.Invalidf("%s:%d: a prompt without a name", path, line)
	}
	// What is kept is copied out of the item's buffer, which the fast
	// reader's strings share: the buffer (the whole item as written, with
	// commit messages, authors and times) is then garbage, and a loaded
	// file holds about the size of its messages instead of twice the file.
	p := &prompt{name: strings.Clone(fp.Name), versions: make([]*version, len(fp.Versions)), labels: make(map[string]int, len(fp.Labels))}
	for i, fv := range fp.Versions {
		if fv.Number != i+1 {
			return nil, exportfile.Invalidf("%s:%d: %s: versions[%d] is numbered %d, not %d", path, line, fp.Name, i, fv.Number, i+1)
		}
		cfg, err := fv.ModelConfigYAML.Config()
		if err != nil {
			return nil, exportfile.Invalidf("%s:%d: %s@%d: response_format: %v", path, line, fp.Name, fv.Number, err)
		}
		msgs := make([]exportfile.Message, len(fv.Messages))
		for j, m := range fv.Messages {
			msgs[j] = exportfile.Message{Role: strings.Clone(m.Role), Content: strings.Clone(m.Content)}
		}
		cfg.Model = strings.Clone(cfg.Model)
		cfg.Stop = slices.Clone(cfg.Stop)
		for j, s := range cfg.Stop {
			cfg.Stop[j] = strings.Clone(s)
		}
		p.versions[i] = &version{prompt: p.name, number: fv.Number, hash: strings.Clone(fv.Hash), messages: msgs, config: cfg}
	}
	for name, l := range fp.Labels {
		if l.Version < 1 || l.Version > len(p.versions) {
			return nil, exportfile.Invalidf("%s:%d: %s@%s points at version %d, which the file does not hold", path, line, fp.Name, name, l.Version)
		}
		p.labels[strings.Clone(name)] = l.Version
	}
	return p, nil
}

func newExperiment(snap *snapshot, fe exportfile.Experiment) (*experiment, error) {
	p, ok := snap.prompts[fe.Prompt]
	if !ok {
		return nil, fmt.Errorf("its prompt %s is not in the file", fe.Prompt)
	}
	l, err := fe.Layout()
	if err != nil {
		return nil, err
	}
	for _, v := range fe.Variants {
		if v.Version < 1 || v.Version > len(p.versions) {
			return nil, fmt.Errorf("variant %s serves %s@%d, which the file does not hold", v.Name, fe.Prompt, v.Version)
		}
	}
	return &experiment{Experiment: fe, layout: l}, nil
}

// parse parses the version's templates once.
func (v *version) parse() error {
	v.once.Do(func() {
		v.parsed = make([]*template.Template, len(v.messages))
		joined := ""
		for i, m := range v.messages {
			t, err := template.Parse(m.Content)
			if err != nil {
				v.parseErr = exportfile.Invalidf("%s@%d messages[%d]: %v", v.prompt, v.number, i, err)
				return
			}
			v.parsed[i] = t
			if i > 0 {
				joined += "\n\n"
			}
			joined += m.Content
		}
		t, err := template.Parse(joined)
		if err != nil {
			v.parseErr = exportfile.Invalidf("%s@%d: %v", v.prompt, v.number, err)
			return
		}
		v.included = t
	})
	return v.parseErr
}

// stamp tells one state of the file from another without reading it.
type stamp struct {
	size  int64
	mtime int64
	ino   uint64
}

func statFile(path string) (stamp, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return stamp{}, fmt.Errorf("prompts file: %w", err)
	}
	return stamp{size: fi.Size(), mtime: fi.ModTime().UnixNano(), ino: inode(fi)}, nil
}
