// Package suite reads an evaluation suite: a YAML file kept in the
// repository that says what `promptbench --eval` runs (dataset, prompts,
// models, scorers, thresholds, concurrency, judge…), so that CI runs one
// checked-in line. Unknown fields are refused with their file and line;
// relative paths resolve against the suite file's folder.
package suite

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"promptbench/eval/report"
	"promptbench/workspace"
)

// Suite is a suite file, read and checked. Only the fields the file sets
// are marked Has; a command line overrides any of them.
type Suite struct {
	Path        string // as given
	Dir         string // the file's folder: relative paths resolve here
	Description string
	Dataset     string // resolved against Dir
	Prompts     []string
	Models      []string
	Scorers     []string
	FailUnder   []report.Gate
	Concurrency int
	Judge       string
	Repeat      int
	Limit       int
	Sample      int
	Seed        uint64
	SkipInvalid bool
	NoCache     bool
	CmdTimeout  time.Duration

	set map[string]bool
}

// Has says whether the file sets a field, by its YAML name.
func (s *Suite) Has(field string) bool { return s.set[field] }

// file is the YAML as written; pointers tell a field left out from a zero.
type file struct {
	Description string   `yaml:"description"`
	Dataset     *string  `yaml:"dataset"`
	Prompts     []string `yaml:"prompts"`
	Models      []string `yaml:"models"`
	Scorers     []string `yaml:"scorers"`
	FailUnder   any      `yaml:"fail_under"` // a number, or a mapping read from the syntax tree
	Concurrency *int     `yaml:"concurrency"`
	Judge       *string  `yaml:"judge"`
	Repeat      *int     `yaml:"repeat"`
	Limit       *int     `yaml:"limit"`
	Sample      *int     `yaml:"sample"`
	Seed        *uint64  `yaml:"seed"`
	SkipInvalid *bool    `yaml:"skip_invalid"`
	NoCache     *bool    `yaml:"no_cache"`
	CmdTimeout  *string  `yaml:"cmd_timeout"`
}

// Fields are the fields a suite file may have.
var Fields = []string{"description", "dataset", "prompts", "models", "scorers", "fail_under", "concurrency",
	"judge", "repeat", "limit", "sample", "seed", "skip_invalid", "no_cache", "cmd_timeout"}

// MaxSize bounds a suite file: it is configuration, not data.
const MaxSize = 1 << 20

// IsSuite tells a suite from a dataset: a .yaml or .yml file is a suite;
// so is a .json file holding an object (a JSON dataset is an array).
// Every other file is a dataset.
func IsSuite(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml":
		return true
	case ".json":
		f, err := os.Open(path)
		if err != nil {
			return false
		}
		defer f.Close()
		head := make([]byte, 512)
		n, _ := f.Read(head)
		head = bytes.TrimLeft(bytes.TrimPrefix(head[:n], []byte("\xef\xbb\xbf")), " \t\r\n")
		return len(head) > 0 && head[0] == '{'
	}
	return false
}

// Load reads and checks the suite at path. Errors are workspace.ErrInvalid
// and name the file and line.
func Load(path string) (*Suite, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, workspace.Invalidf("suite %s: %v", path, unwrapPath(err))
	}
	if info.Size() > MaxSize {
		return nil, workspace.Invalidf("%s: a suite file is at most %d bytes; this one has %d", path, MaxSize, info.Size())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, workspace.Invalidf("suite %s: %v", path, unwrapPath(err))
	}
	var f file
	if err := decode(path, data, &f); err != nil {
		return nil, err
	}
	tree, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, workspace.YAMLError(path, err)
	}
	top := topMapping(tree)
	if top == nil {
		return nil, workspace.Invalidf("%s: a suite is a mapping with dataset, prompts, scorers…; see `promptbench eval --help`", path)
	}
	// Absolute: a run records its dataset, and a resume from another
	// folder must find it.
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, workspace.Invalidf("suite %s: %v", path, err)
	}
	s := &Suite{Path: path, Dir: dir, Description: f.Description, set: map[string]bool{}}
	for _, mv := range top.Values {
		s.set[keyText(mv.Key)] = true
	}
	at := func(field string) string { return fmt.Sprintf("%s:%d", path, line(top, field)) }
	if f.Dataset != nil {
		if *f.Dataset == "" {
			return nil, workspace.Invalidf("%s: dataset is empty; name a .jsonl, .csv or .json file (relative to the suite's folder)", at("dataset"))
		}
		s.Dataset = resolve(s.Dir, *f.Dataset)
	}
	for _, l := range []struct {
		field string
		vals  []string
	}{{"prompts", f.Prompts}, {"models", f.Models}, {"scorers", f.Scorers}} {
		for i, v := range l.vals {
			if strings.TrimSpace(v) == "" {
				return nil, workspace.Invalidf("%s: %s item %d is empty", at(l.field), l.field, i+1)
			}
		}
	}
	s.Prompts, s.Models, s.Scorers = f.Prompts, f.Models, f.Scorers
	for _, n := range []struct {
		field string
		v     *int
		min   int
		to    *int
	}{{"concurrency", f.Concurrency, 1, &s.Concurrency}, {"repeat", f.Repeat, 1, &s.Repeat}, {"limit", f.Limit, 0, &s.Limit}, {"sample", f.Sample, 0, &s.Sample}} {
		if n.v == nil {
			continue
		}
		if *n.v < n.min {
			return nil, workspace.Invalidf("%s: %s is %d; it must be at least %d", at(n.field), n.field, *n.v, n.min)
		}
		*n.to = *n.v
	}
	if f.Judge != nil {
		s.Judge = *f.Judge
	}
	if f.Seed != nil {
		s.Seed = *f.Seed
	}
	if f.SkipInvalid != nil {
		s.SkipInvalid = *f.SkipInvalid
	}
	if f.NoCache != nil {
		s.NoCache = *f.NoCache
	}
	if f.CmdTimeout != nil {
		d, err := time.ParseDuration(*f.CmdTimeout)
		if err != nil || d <= 0 {
			return nil, workspace.Invalidf("%s: cmd_timeout %q is not a duration; write 30s or 2m", at("cmd_timeout"), *f.CmdTimeout)
		}
		s.CmdTimeout = d
	}
	if s.FailUnder, err = gates(path, top); err != nil {
		return nil, err
	}
	return s, nil
}

// decode reads the file strictly; go-yaml panics on some malformed input,
// which is bad input too.
func decode(path string, data []byte, f *file) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = workspace.Invalidf("%s: not valid YAML (the parser failed: %v)", path, r)
		}
	}()
	if err := yaml.UnmarshalWithOptions(data, f, yaml.DisallowUnknownField()); err != nil {
		err = workspace.YAMLError(path, err)
		if strings.Contains(err.Error(), "unknown field") {
			return fmt.Errorf("%w; a suite has %s", err, strings.Join(Fields, ", "))
		}
		return err
	}
	return nil
}

// gates reads fail_under: a number (every scorer's pass rate), or a
// mapping from "all", a scorer spec, "pass^k" or "pass^k:SPEC" to a
// threshold.
func gates(path string, top *ast.MappingNode) ([]report.Gate, error) {
	mv := find(top, "fail_under")
	if mv == nil {
		return nil, nil
	}
	where := func(n ast.Node) string { return fmt.Sprintf("%s:%d", path, n.GetToken().Position.Line) }
	if m, ok := mv.Value.(*ast.MappingNode); ok {
		var out []report.Gate
		for _, e := range m.Values {
			key := keyText(e.Key)
			var min float64
			if err := yaml.NodeToValue(e.Value, &min); err != nil {
				return nil, workspace.Invalidf("%s: fail_under %s must be a number from 0 to 1", where(e.Key), key)
			}
			gk := key
			if key == "all" {
				gk = ""
			}
			g, err := report.GateFor(gk, min, key+": "+e.Value.String())
			if err != nil {
				return nil, workspace.Invalidf("%s: fail_under %v", where(e.Key), err)
			}
			out = append(out, g)
		}
		return out, nil
	}
	var min float64
	if err := yaml.NodeToValue(mv.Value, &min); err != nil {
		return nil, workspace.Invalidf("%s: fail_under must be a number from 0 to 1, or a mapping of scorer specs (and all, pass^k, pass^k:SPEC) to numbers", where(mv.Key))
	}
	g, err := report.GateFor("", min, mv.Value.String())
	if err != nil {
		return nil, workspace.Invalidf("%s: fail_under %v", where(mv.Key), err)
	}
	return []report.Gate{g}, nil
}

func topMapping(f *ast.File) *ast.MappingNode {
	if f == nil || len(f.Docs) == 0 || f.Docs[0].Body == nil {
		return nil
	}
	switch b := f.Docs[0].Body.(type) {
	case *ast.MappingNode:
		return b
	case *ast.MappingValueNode:
		return ast.Mapping(b.GetToken(), false, b)
	}
	return nil
}

func find(m *ast.MappingNode, key string) *ast.MappingValueNode {
	for _, mv := range m.Values {
		if keyText(mv.Key) == key {
			return mv
		}
	}
	return nil
}

func line(m *ast.MappingNode, key string) int {
	if mv := find(m, key); mv != nil {
		return mv.Key.GetToken().Position.Line
	}
	return 1
}

// keyText is a mapping key as the user meant it, quotes removed.
func keyText(k ast.MapKeyNode) string {
	if s, ok := k.(ast.ScalarNode); ok {
		return fmt.Sprint(s.GetValue())
	}
	return k.String()
}

// resolve makes a path in the suite relative to the suite's folder.
func resolve(dir, p string) string {
	if filepath.IsAbs(p) || dir == "" {
		return p
	}
	return filepath.Join(dir, p)
}

func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
