//go:build linux

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// The experiment writes the soak kills: ab create, set-weights, stop (with
// its promotion of the winner, one transaction), record, and import of
// outcomes (several transactions under a pending batch). All run on the
// demo's support/reply, version 2 (production in the demo) against 3.
const abPrompt = "support/reply"

// abState is what the soak knows of one experiment.
type abState struct {
	name                 string
	created, tried, seen bool
	// weights: version 2's weight, as the last reported change set it
	// or any change tried since.
	weights                     map[int]bool
	stopped, stopTried, promote bool
	records, recordsTried       int // keys of metric "rec"
	imports                     []*abImport
}

// abImport is one outcomes file: its keys carry a metric of their own, so
// the report shows whether the import is all there or not there at all.
type abImport struct {
	metric          string
	n               int
	reported, tried bool
}

// running lists experiments that exist for sure and no stop was tried on.
func (m *soakModel) runningExperiments() []*abState {
	var out []*abState
	for _, e := range m.experiments {
		if (e.created || e.seen) && !e.stopTried {
			out = append(out, e)
		}
	}
	return out
}

func (m *soakModel) existingExperiments() []*abState {
	var out []*abState
	for _, e := range m.experiments {
		if e.created || e.seen {
			out = append(out, e)
		}
	}
	return out
}

func (s *soak) abAction(kind, tag string) action {
	m := s.model
	ws := []string{"--workspace", s.ws}
	a := action{kind: kind, touched: abPrompt, spec: procSpec{background: s.rng.IntN(2) == 0}, rewritesExport: kind != "ab record" && kind != "ab import"}
	running, existing := m.runningExperiments(), m.existingExperiments()
	switch {
	case kind == "ab set-weights" || kind == "ab stop":
		if len(running) == 0 {
			return s.abAction("ab create", tag)
		}
	case kind == "ab record" || kind == "ab import":
		if len(existing) == 0 {
			return s.abAction("ab create", tag)
		}
	}
	switch kind {
	case "ab create":
		e := &abState{name: "exp-" + tag, weights: map[int]bool{50: true}}
		m.experiments = append(m.experiments, e)
		a.spec.args = append(ws, "ab", "create", e.name, "--prompt", abPrompt, "--variant", "2:50", "--variant", "3:50")
		a.reported = func(outcome) error { e.created = true; return nil }
		a.unknown = func() { e.tried = true }
	case "ab set-weights":
		e := running[s.rng.IntN(len(running))]
		w := 1 + s.rng.IntN(99)
		a.spec.args = append(ws, "ab", "set-weights", e.name, "--variant", fmt.Sprintf("2:%d", w), "--variant", fmt.Sprintf("3:%d", 100-w))
		a.reported = func(outcome) error { e.weights = map[int]bool{w: true}; return nil }
		a.unknown = func() { e.weights[w] = true }
	case "ab stop":
		e := running[s.rng.IntN(len(running))]
		e.stopTried = true
		a.spec.args = append(ws, "ab", "stop", e.name, "--winner", "3")
		promote := s.rng.IntN(2) == 0
		if promote {
			a.spec.args = append(a.spec.args, "--promote")
			if _, ok := m.labels[labelKey{abPrompt, "production"}]; !ok {
				*m.label(abPrompt, "production") = labelState{allowed: map[int]bool{2: true}}
			}
		}
		a.reported = func(o outcome) error {
			e.stopped = true
			if promote {
				e.promote = true
				return m.labelReported(o.out)
			}
			return nil
		}
		a.unknown = func() {
			if promote {
				m.labelAttempted(abPrompt, "production", 3)
			}
		}
	case "ab record":
		e := existing[s.rng.IntN(len(existing))]
		a.spec.args = append(ws, "ab", "record", e.name, "--key", "rec-"+tag, "--metric", "rec=1")
		a.reported = func(outcome) error { e.records++; return nil }
		a.unknown = func() { e.recordsTried++ }
	case "ab import":
		e := existing[s.rng.IntN(len(existing))]
		imp := &abImport{metric: "imp-" + tag, n: 500 + s.rng.IntN(2500)}
		e.imports = append(e.imports, imp)
		file := filepath.Join(s.tmp, "outcomes-"+tag+".jsonl")
		var b strings.Builder
		for i := range imp.n {
			fmt.Fprintf(&b, `{"key": "%s-%d", "metrics": {"%s": %d}}`+"\n", tag, i, imp.metric, i%2)
		}
		if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
			s.t.Fatal(err)
		}
		a.late = true
		a.spec.args = append(ws, "ab", "import", e.name, file)
		a.reported = func(outcome) error { imp.reported = true; return nil }
		a.unknown = func() { imp.tried = true }
	}
	return a
}

type abListed struct {
	Name     string `json:"name"`
	Status   string `json:"status"`
	Promoted bool   `json:"promoted"`
	Variants []struct {
		Name   string `json:"name"`
		Weight int    `json:"weight"`
	} `json:"variants"`
}

type abReported struct {
	Metrics []struct {
		Name string `json:"name"`
		Arms []struct {
			N int `json:"n"`
		} `json:"arms"`
	} `json:"metrics"`
}

// checkExperiments: a reported create, weight change, stop, record or
// import is there; one a kill cut short is there whole or not at all (an
// import's keys all or none; a promoted stop together with its label
// move); and what a check saw stays.
func (s *soak) checkExperiments(listed map[string]listedPrompt) []problem {
	m := s.model
	if len(m.experiments) == 0 {
		return nil
	}
	r := s.r.run("--workspace", s.ws, "ab", "list", "--json")
	if r.code != 0 {
		return []problem{{kind: "read failed", detail: fmt.Sprintf("ab list --json: exit %d: %s", r.code, firstLines(r.err))}}
	}
	var exps []abListed
	if err := json.Unmarshal([]byte(r.out), &exps); err != nil {
		return []problem{{kind: "read failed", detail: fmt.Sprintf("ab list --json: %v", err)}}
	}
	byName := map[string]abListed{}
	promoted := false
	for _, e := range exps {
		byName[e.Name] = e
		promoted = promoted || e.Promoted
	}
	var probs []problem
	bad := func(kind, format string, args ...any) {
		probs = append(probs, problem{kind: kind, detail: fmt.Sprintf(format, args...)})
	}
	for _, e := range m.experiments {
		got, ok := byName[e.name]
		switch {
		case !ok && (e.created || e.seen):
			bad("lost", "experiment %s is gone", e.name)
			continue
		case !ok:
			continue
		case !e.created && !e.tried:
			bad("unexpected", "experiment %s exists, but no create was tried", e.name)
		}
		e.seen = true
		if len(got.Variants) != 2 || got.Variants[0].Weight+got.Variants[1].Weight != 100 {
			bad("half-applied", "experiment %s has variants %+v", e.name, got.Variants)
			continue
		}
		if w := got.Variants[0].Weight; !e.weights[w] {
			bad("unexpected", "experiment %s weighs version 2 %d%%; changes reported or tried: %v", e.name, w, keys(e.weights))
		} else {
			e.weights = map[int]bool{w: true}
		}
		switch {
		case got.Status != "stopped" && e.stopped:
			bad("lost", "experiment %s was reported stopped and runs", e.name)
		case got.Status == "stopped" && !e.stopTried:
			bad("unexpected", "experiment %s is stopped, but no stop was tried", e.name)
		case got.Status == "stopped":
			e.stopped = true
		}
		probs = append(probs, s.checkOutcomes(e)...)
	}
	// The stop and the promotion are one transaction: production moved to
	// 3 exactly when some experiment says it promoted.
	if n, ok := listed[abPrompt].Labels["production"]; ok && (n == 3) != promoted && m.labels[labelKey{abPrompt, "production"}] != nil {
		bad("half-applied", "%s@production is %d while an experiment promoted: %v", abPrompt, n, promoted)
	}
	return probs
}

func (s *soak) checkOutcomes(e *abState) []problem {
	r := s.r.run("--workspace", s.ws, "ab", "report", e.name, "--format", "json")
	if r.code != 0 {
		return []problem{{kind: "read failed", detail: fmt.Sprintf("ab report %s: exit %d: %s", e.name, r.code, firstLines(r.err))}}
	}
	var rep abReported
	if err := json.Unmarshal([]byte(r.out), &rep); err != nil {
		return []problem{{kind: "read failed", detail: fmt.Sprintf("ab report %s: %v", e.name, err)}}
	}
	counts := map[string]int{}
	for _, m := range rep.Metrics {
		for _, a := range m.Arms {
			counts[m.Name] += a.N
		}
	}
	var probs []problem
	if n := counts["rec"]; n < e.records || n > e.records+e.recordsTried {
		probs = append(probs, problem{kind: "lost", detail: fmt.Sprintf("experiment %s has %d recorded keys; %d were reported and %d more tried", e.name, n, e.records, e.recordsTried)})
	} else {
		e.records, e.recordsTried = n, 0
	}
	for _, imp := range e.imports {
		n := counts[imp.metric]
		switch {
		case n != 0 && n != imp.n:
			probs = append(probs, problem{kind: "half-applied", detail: fmt.Sprintf("import %s into %s: %d of its %d outcomes", imp.metric, e.name, n, imp.n)})
		case n == 0 && imp.reported:
			probs = append(probs, problem{kind: "lost", detail: fmt.Sprintf("import %s into %s was reported and has no outcomes", imp.metric, e.name)})
		case n != 0 && !imp.reported && !imp.tried:
			probs = append(probs, problem{kind: "unexpected", detail: fmt.Sprintf("import %s into %s is there but was never run", imp.metric, e.name)})
		case n == imp.n:
			imp.reported = true
		}
	}
	return probs
}
