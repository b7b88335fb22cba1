//go:build linux

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// The prompts the soak writes to, besides the demo library and imports.
const runPrompt = "soak/run"

var soakPrompts = []string{"soak/p0", "soak/p1", "soak/p2", "soak/p3", runPrompt}

// action is one writing process of the soak and how its outcome enters
// the model.
type action struct {
	kind    string
	spec    procSpec
	touched string // the soak prompt it writes to, for the history check
	// late makes a kill more likely after the first 80 ms: the process
	// parses or waits before it writes.
	late bool
	// reported records a success (exit 0) from the process's output;
	// unknown records a process that was killed or failed.
	reported func(o outcome) error
	unknown  func()
	// verify, when set, checks what the action left apart from the
	// workspace under soak.
	verify func(o outcome) []problem
	// rewritesExport: a success rewrote the export file, when the
	// workspace keeps one.
	rewritesExport bool
	// locks name what else the action writes to (lineages), which a
	// second writer of the same iteration must leave alone.
	locks []string
	// accept, when set, tells a non-zero exit that is the command's
	// answer to what the soak did (doctor --repair leaving the includes
	// rm --force broke): the process finished.
	accept func(o outcome) bool
}

// actionKinds and their weights in the mix.
var actionKinds = []struct {
	kind   string
	weight int
}{
	{"commit", 20},
	{"commit --file", 15},
	{"label", 15},
	{"label --delete", 5},
	{"mv", 4},
	{"rm", 4},
	{"tag", 10},
	{"import", 10},
	{"import merge", 8},
	{"import again", 5},
	{"run", 10},
	{"run echo", 5},
	{"run 2 models", 5},
	{"maintain", 10},
	{"init --demo", 5},
	{"doctor --repair", 3},
	{"ab create", 4},
	{"ab set-weights", 4},
	{"ab stop", 3},
	{"ab record", 5},
	{"ab import", 5},
	{"review request", 6},
	{"review approve", 6},
	{"label gated", 6},
	{"commit lineage", 10},
	{"label lineage", 7},
	{"rollback", 8},
	{"label --delete lineage", 4},
	{"mv labelled", 8},
	{"mv back", 5},
	{"rm --force", 6},
}

func (s *soak) pickAction(iter int) action {
	total := 0
	for _, k := range actionKinds {
		total += k.weight
	}
	n := s.rng.IntN(total)
	for _, k := range actionKinds {
		if n < k.weight {
			return s.newAction(k.kind, iter)
		}
		n -= k.weight
	}
	panic("unreachable")
}

func (s *soak) newAction(kind string, iter int) action {
	m := s.model
	prompt := soakPrompts[s.rng.IntN(len(soakPrompts)-1)]
	tag := fmt.Sprintf("e%di%d", s.epoch, iter)
	ws := []string{"--workspace", s.ws}
	a := action{kind: kind, touched: prompt, spec: procSpec{background: s.rng.IntN(2) == 0}}
	switch kind {
	case "commit":
		a.spec.args = append(ws, "commit", prompt, "-m", "soak "+tag)
		a.spec.stdin = fmt.Sprintf("Soak %s: answer {{q}} in %d words.\n", tag, 5+s.rng.IntN(50))
		a.rewritesExport = true
		a.reported = func(o outcome) error { return m.commitReported(o.out) }
		a.unknown = func() { m.attempts[prompt]++ }
	case "commit --file":
		file := filepath.Join(s.tmp, "prompt-"+tag+".yaml")
		body := fmt.Sprintf("model: echo/echo\ntemperature: 0.%d\nmessages:\n  - role: system\n    content: You are soak %s.\n  - role: user\n    content: \"{{q}}\"\n", s.rng.IntN(10), tag)
		if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
			s.t.Fatal(err)
		}
		a.spec.args = append(ws, "commit", prompt, "--file", file, "-m", "soak file "+tag)
		a.rewritesExport = true
		a.reported = func(o outcome) error { return m.commitReported(o.out) }
		a.unknown = func() { m.attempts[prompt]++ }
	case "label":
		known := m.knownVersions(prompt)
		n := known[s.rng.IntN(len(known))]
		label := []string{"production", "staging", "canary"}[s.rng.IntN(3)]
		a.spec.args = append(ws, "label", fmt.Sprintf("%s@%d", prompt, n), label)
		a.reported = func(o outcome) error { return m.labelReported(o.out) }
		a.unknown = func() { m.labelAttempted(prompt, label, n) }
	case "label --delete":
		present := m.presentLabels(prompt)
		if len(present) == 0 {
			return s.newAction("label", iter)
		}
		label := present[s.rng.IntN(len(present))]
		a.spec.args = append(ws, "label", "--delete", prompt, label)
		a.reported = func(outcome) error { m.labelDeleted(prompt, label); return nil }
		a.unknown = func() { m.label(prompt, label).absentOK = true }
	case "mv", "rm":
		a = s.moveAction(kind, tag)
	case "tag":
		a.spec.args = append(ws, "tag", prompt, "--add", "soak:"+tag)
		a.rewritesExport = true
		a.reported = func(outcome) error { m.requireTag(prompt, "soak:"+tag); return nil }
		a.unknown = func() {}
	case "import", "import merge", "import again":
		imp := s.pendingImport()
		switch {
		case kind == "import again" && imp != nil:
		case kind == "import merge":
			imp = s.mergeImport(tag, prompt)
			m.imports = append(m.imports, imp)
		default:
			a.kind = "import small"
			src := s.imports.small
			if s.rng.IntN(3) == 0 {
				a.kind, src = "import big", s.imports.big
			}
			imp = s.libraryImport(tag, src)
			m.imports = append(m.imports, imp)
		}
		if imp.prompt != "" {
			a.touched = imp.prompt
		}
		a.late = true
		a.spec.args = append(ws, "import", imp.file)
		a.reported = func(o outcome) error { m.importReported(imp, o.out); return nil }
		a.unknown = func() { m.importUnknown(imp) }
	case "run", "run echo", "run 2 models":
		models := map[string][]string{"run": {"local/soak"}, "run echo": {"echo/echo"}, "run 2 models": {"local/soak", "echo/echo"}}[kind]
		a.touched = runPrompt
		a.late = true
		a.spec.args = append(ws, "run", runPrompt+"@1", "--var", "q=question "+tag, "--json")
		for _, model := range models {
			a.spec.args = append(a.spec.args, "--model", model)
		}
		if s.rng.IntN(2) == 0 {
			a.spec.args = append(a.spec.args, "--no-cache")
		}
		a.reported = func(o outcome) error {
			var results []runJSON
			if err := json.Unmarshal([]byte(o.out), &results); err != nil || len(results) != len(models) {
				return fmt.Errorf("run succeeded without its %d results: %v %q", len(models), err, o.out)
			}
			for _, r := range results {
				if r.LogID == "" {
					return fmt.Errorf("run succeeded with an unlogged result: %q", o.out)
				}
				m.logIDs = append(m.logIDs, r.LogID)
			}
			return nil
		}
		a.unknown = func() {}
	case "init --demo":
		a = s.initAction(tag)
	case "ab create", "ab set-weights", "ab stop", "ab record", "ab import":
		a = s.abAction(kind, tag)
	case "doctor --repair":
		if !s.hasDoctor {
			a.kind = "maintain"
			a.spec.args = append(ws, "maintain")
		} else {
			a.spec.args = append(ws, "doctor", "--repair", "--json")
			a.accept = func(o outcome) bool { return o.code == exitProblems && s.onlyLeftIncludes(o.out) == nil }
		}
		a.reported = func(outcome) error { return nil }
		a.unknown = func() {}
	case "maintain":
		a.spec.args = append(ws, "maintain")
		a.reported = func(outcome) error { return nil }
		a.unknown = func() {}
	case "review request", "review approve", "label gated":
		a = s.reviewAction(kind, tag)
	case "commit lineage", "label lineage", "rollback", "label --delete lineage", "mv labelled", "mv back", "rm --force":
		a = s.lineageAction(kind, tag, iter)
	}
	return a
}
