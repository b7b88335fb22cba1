package merge

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"promptbench/eval/report"
	"promptbench/workspace"
)

// Shard is one shard's record and the file it came from.
type Shard struct {
	File   string
	Record *Record
}

// Error refuses shards that do not make one suite; it names the files.
type Error struct {
	Files []string
	Msg   string
}

func (e *Error) Error() string { return strings.Join(e.Files, ", ") + ": " + e.Msg }

// Unwrap makes it workspace.ErrInvalid: exit code 2.
func (e *Error) Unwrap() error { return workspace.ErrInvalid }

func refuse(msg string, files ...string) error { return &Error{Files: files, Msg: msg} }

// Decode reads a shard's JSON report.
func Decode(file string, data []byte) (*Record, error) {
	var raw struct {
		*report.Report
		Shard *ShardInfo `json:"shard"`
		Cases []Case     `json:"cases"`
	}
	raw.Report = &report.Report{}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, refuse("not a JSON report: "+err.Error(), file)
	}
	if raw.Shard == nil || raw.Cases == nil {
		return nil, refuse("not the JSON report of a shard (run with --shard I/N --format json; other reports hold no per-case results to join)", file)
	}
	return &Record{Report: raw.Report, Shard: *raw.Shard, Cases: raw.Cases}, nil
}

// Merged is the joined report and, when asked for, its cases for the
// per-case formats (outputs included).
type Merged struct {
	Report *report.Report
	// Results and Fetch give the per-case formats the cases (when asked).
	Results *report.Results
	Fetch   report.Fetch
	// NotDone lists the shards whose run did not finish, by file.
	NotDone []string
}

// Merge joins the shards of one suite: the same dataset content, the same
// variants (version hash and model), the same scorers, repeats, row
// selection and thresholds, every shard 1..N once, no case twice. The
// report is built from all the cases with the suite's seed, so it is the
// report one unsharded run of the same cases gives (up to the run's
// identity and times).
func Merge(shards []Shard, withRows bool) (*Merged, error) {
	if len(shards) == 0 {
		return nil, refuse("no shard to merge")
	}
	first := shards[0]
	seen := map[int]string{}
	for _, s := range shards {
		if err := sameSuite(first, s); err != nil {
			return nil, err
		}
		if other, dup := seen[s.Record.Shard.I]; dup {
			return nil, refuse(fmt.Sprintf("both are shard %d/%d", s.Record.Shard.I, s.Record.Shard.N), other, s.File)
		}
		seen[s.Record.Shard.I] = s.File
	}
	var missing []string
	for i := 1; i <= first.Record.Shard.N; i++ {
		if _, ok := seen[i]; !ok {
			missing = append(missing, strconv.Itoa(i))
		}
	}
	if len(missing) > 0 {
		return nil, refuse(fmt.Sprintf("shard(s) %s of %d missing: a merged report covers every shard", strings.Join(missing, ", "), first.Record.Shard.N), files(shards)...)
	}
	caseFile := map[string]string{}
	for _, s := range shards {
		for _, c := range s.Record.Cases {
			if other, dup := caseFile[c.Case]; dup && other != s.File {
				return nil, refuse(fmt.Sprintf("case %q is in both: the shards overlap", c.Case), other, s.File)
			}
			caseFile[c.Case] = s.File
		}
	}
	return build(shards, withRows), nil
}

func files(shards []Shard) []string {
	out := make([]string, len(shards))
	for i, s := range shards {
		out[i] = s.File
	}
	return out
}

// sameSuite refuses b when it is not a shard of a's suite.
func sameSuite(a, b Shard) error {
	ra, rb := a.Record, b.Record
	differ := func(what string) error {
		return refuse("not shards of one suite: "+what+" differ", a.File, b.File)
	}
	switch {
	case ra.DatasetHash != rb.DatasetHash:
		return differ("the datasets (content hash)")
	case ra.Shard.N != rb.Shard.N:
		return differ(fmt.Sprintf("the shard counts (%d and %d)", ra.Shard.N, rb.Shard.N))
	case ra.Repeat != rb.Repeat:
		return differ("the repeats")
	case ra.Shard.Limit != rb.Shard.Limit || ra.Shard.Sample != rb.Shard.Sample || ra.Shard.Seed != rb.Shard.Seed:
		return differ("the row selections (--limit, --sample, --seed)")
	case !slices.Equal(ra.Shard.Gates, rb.Shard.Gates):
		return differ("the thresholds (fail_under)")
	case len(ra.Variants) != len(rb.Variants):
		return differ("the variants")
	}
	for i, va := range ra.Variants {
		vb := rb.Variants[i]
		if va.ID != vb.ID || va.Hash != vb.Hash || va.Model != vb.Model {
			return differ(fmt.Sprintf("the variants (%s · %s and %s · %s)", va.ID, va.Model, vb.ID, vb.Model))
		}
		if !slices.Equal(specs(va), specs(vb)) {
			return differ(fmt.Sprintf("the scorers of %s", va.ID))
		}
	}
	if ra.Shard.I < 1 || ra.Shard.I > ra.Shard.N {
		return refuse(fmt.Sprintf("shard %d/%d is not a shard", ra.Shard.I, ra.Shard.N), a.File)
	}
	return nil
}

func specs(v report.Variant) []string {
	out := make([]string, len(v.Scorers))
	for i, s := range v.Scorers {
		out[i] = s.Spec
	}
	return out
}
