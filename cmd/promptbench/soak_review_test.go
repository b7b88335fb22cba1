//go:build linux

package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
)

// The soak's review actions: requests, approvals (by a second author) and
// moves of the protected label they allow, each a process the soak may
// kill. Reviews live in the audit trail; a reported one must never be
// lost, and a label moved with an approval is checked as any label is.

// gatedLabel is protected on the soak's prompts (newEpoch's config.yaml).
const (
	gatedLabel    = "gated"
	gatedConfig   = "protected_labels:\n  - {label: gated, prompts: [\"soak/**\"]}\n"
	soakReviewer  = "soak-reviewer"
	maybeRequest  = "maybe requested"
	maybeApproved = "maybe approved"
)

type reviewKey struct {
	prompt string
	n      int
}

// reviewState is what the soak knows of the review of one version: its
// id once known, and "requested", "approved", or a maybe when the process
// was killed (a check settles it).
type reviewState struct {
	id     string
	status string
}

var reviewLine = regexp.MustCompile(`^review ([0-9a-f]{8}): `)

// reviewAction makes a review request, an approval or a move of the
// protected label, whichever the model allows; with no candidate it falls
// back to the step before (approve → request → an ordinary label move).
func (s *soak) reviewAction(kind, tag string) action {
	m := s.model
	ws := []string{"--workspace", s.ws}
	pick := func(want string) (reviewKey, *reviewState, bool) {
		var keys []reviewKey
		for _, p := range soakPrompts[:len(soakPrompts)-1] {
			for _, n := range m.knownVersions(p) {
				st := m.reviews[reviewKey{p, n}]
				if want == "" && st == nil || st != nil && st.status == want {
					keys = append(keys, reviewKey{p, n})
				}
			}
		}
		if len(keys) == 0 {
			return reviewKey{}, nil, false
		}
		slices.SortFunc(keys, func(a, b reviewKey) int {
			if a.prompt != b.prompt {
				return map[bool]int{true: -1, false: 1}[a.prompt < b.prompt]
			}
			return a.n - b.n
		})
		k := keys[s.rng.IntN(len(keys))]
		return k, m.reviews[k], true
	}
	switch kind {
	case "label gated":
		k, _, ok := pick("approved")
		if !ok {
			return s.reviewAction("review approve", tag)
		}
		a := action{kind: kind, touched: k.prompt, spec: procSpec{background: s.rng.IntN(2) == 0}}
		a.spec.args = append(ws, "label", fmt.Sprintf("%s@%d", k.prompt, k.n), gatedLabel)
		// Like "label": a move to where the label already is changes
		// nothing and rewrites no export file, so it makes no promise
		// about litter beside it.
		a.reported = func(o outcome) error { return m.labelReported(o.out) }
		a.unknown = func() { m.labelAttempted(k.prompt, gatedLabel, k.n) }
		return a
	case "review approve":
		k, st, ok := pick("requested")
		if !ok {
			return s.reviewAction("review request", tag)
		}
		a := action{kind: kind, touched: k.prompt, spec: procSpec{env: []string{"PROMPTBENCH_AUTHOR=" + soakReviewer}}}
		a.spec.args = append(ws, "review", "approve", st.id, "-m", "soak "+tag)
		a.rewritesExport = true
		a.reported = func(o outcome) error { st.status = "approved"; return nil }
		a.unknown = func() { st.status = maybeApproved }
		return a
	}
	k, _, ok := pick("")
	if !ok {
		return s.newAction("label", 0)
	}
	a := action{kind: "review request", touched: k.prompt, spec: procSpec{background: s.rng.IntN(2) == 0}}
	a.spec.args = append(ws, "review", "request", fmt.Sprintf("%s@%d", k.prompt, k.n), gatedLabel, "-m", "soak "+tag)
	a.rewritesExport = true
	a.reported = func(o outcome) error {
		g := reviewLine.FindStringSubmatch(o.out)
		if g == nil {
			return fmt.Errorf("review request succeeded without its review line: %q", o.out)
		}
		m.reviews[k] = &reviewState{id: g[1], status: "requested"}
		return nil
	}
	a.unknown = func() { m.reviews[k] = &reviewState{status: maybeRequest} }
	return a
}

// checkReviews: every reported request and approval is in review list,
// and the maybes of killed processes are settled on what it shows.
func (s *soak) checkReviews() []problem {
	m := s.model
	if len(m.reviews) == 0 {
		return nil
	}
	out := s.r.run("--workspace", s.ws, "review", "list", "--json")
	if out.code != 0 {
		return []problem{{kind: "read failed", detail: fmt.Sprintf("review list --json: exit %d: %s", out.code, firstLines(out.err))}}
	}
	var listed []struct {
		ID, Prompt, Label, Status string
		Version                   int
	}
	if err := json.Unmarshal([]byte(out.out), &listed); err != nil {
		return []problem{{kind: "read failed", detail: fmt.Sprintf("review list --json printed no JSON: %v", err)}}
	}
	found := map[reviewKey]reviewState{}
	for _, r := range listed {
		if r.Label == gatedLabel {
			found[reviewKey{r.Prompt, r.Version}] = reviewState{id: r.ID, status: map[string]string{"open": "requested", "approved": "approved"}[r.Status]}
		}
	}
	var probs []problem
	for k, st := range m.reviews {
		got, ok := found[k]
		switch {
		case !ok && st.status == maybeRequest:
			delete(m.reviews, k) // the killed request left nothing
			continue
		case !ok:
			probs = append(probs, problem{kind: "lost", detail: fmt.Sprintf("review %s of %s@%d (%s) is gone", st.id, k.prompt, k.n, st.status)})
			continue
		case st.status == "approved" && got.status != "approved":
			probs = append(probs, problem{kind: "lost", detail: fmt.Sprintf("review %s of %s@%d was reported approved and is %s", st.id, k.prompt, k.n, got.status)})
		case st.id != "" && got.id != st.id:
			probs = append(probs, problem{kind: "unexpected", detail: fmt.Sprintf("review of %s@%d is %s, reported %s", k.prompt, k.n, got.id, st.id)})
		}
		*st = got
	}
	return probs
}
