//go:build linux

package main

import (
	"fmt"
	"slices"
	"strings"
)

// moveState is a prompt the soak renamed (mv) or deleted (rm): made for
// the purpose, with one version and a tag, so that it can be told whole.
type moveState struct {
	from, to string // to is "" for rm
	hash     string // its one version's (12 hex)
	reported bool
	seen     string // "", or where a check found it: "from", "to" or "gone"
}

const moveTag = "soak:moved"

// moveAction makes a prompt for mv or rm, then the action that kills it.
func (s *soak) moveAction(kind, tag string) action {
	from := "soak/" + kind + "-" + tag
	out := s.mustRun(fmt.Sprintf("To be moved: %s {{q}}.\n", tag), "commit", from, "-m", "soak "+kind, "--tag", moveTag)
	g := committedLine.FindStringSubmatch(out)
	if g == nil {
		s.t.Fatalf("commit %s printed no committed line: %q", from, out)
	}
	mv := &moveState{from: from, hash: g[3]}
	s.model.moves = append(s.model.moves, mv)
	a := action{kind: kind, touched: soakPrompts[0], spec: procSpec{background: s.rng.IntN(2) == 0}}
	if kind == "mv" {
		mv.to = "soak/moved-" + tag
		a.spec.args = []string{"--workspace", s.ws, "mv", from, mv.to}
	} else {
		a.spec.args = []string{"--workspace", s.ws, "rm", from}
	}
	a.rewritesExport = true
	a.reported = func(outcome) error { mv.reported = true; return nil }
	a.unknown = func() {}
	return a
}

// checkMoves: a renamed prompt is under exactly one of its names, whole
// (its version and tag went with it); a deleted one is gone or whole; a
// reported mv or rm took place; and where a check found it, it stays.
func (s *soak) checkMoves(listed map[string]listedPrompt) []problem {
	var probs []problem
	for _, mv := range s.model.moves {
		from, atFrom := listed[mv.from]
		to, atTo := listed[mv.to]
		where, p := "gone", listedPrompt{}
		switch {
		case atFrom && atTo:
			probs = append(probs, problem{kind: "half-applied", detail: fmt.Sprintf("mv %s %s: both names exist", mv.from, mv.to)})
			continue
		case atFrom:
			where, p = "from", from
		case atTo:
			where, p = "to", to
		}
		name := map[string]string{"from": mv.from, "to": mv.to}[where]
		switch {
		case where == "gone" && mv.to != "":
			probs = append(probs, problem{kind: "lost", detail: fmt.Sprintf("mv %s %s: the prompt is under neither name", mv.from, mv.to)})
			continue
		case where != "gone" && (p.Latest != 1 || !strings.HasPrefix(p.LatestHash, mv.hash) || !slices.Contains(p.Tags, moveTag)):
			probs = append(probs, problem{kind: "half-applied", detail: fmt.Sprintf("%s: latest %d (%s), tags %v; it was version 1 (%s) tagged %s", name, p.Latest, shortHash(p.LatestHash), p.Tags, mv.hash, moveTag)})
			continue
		case mv.reported && where == "from":
			probs = append(probs, problem{kind: "lost", detail: fmt.Sprintf("%s was reported moved or deleted and is still there", mv.from)})
		case mv.seen != "" && mv.seen != where:
			probs = append(probs, problem{kind: "unexpected", detail: fmt.Sprintf("%s was found %q, is now %q", mv.from, mv.seen, where)})
		}
		mv.seen = where
	}
	return probs
}
