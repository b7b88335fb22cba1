package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"promptbench/workspace"
)

// humanScoreName names the scores people give by key, in Compare and in
// Logs: one per entry and person, a new one replacing the old.
const humanScoreName = "human"

// scoreKeys are the keys that give a score once `s` asked for one: the
// same in every pane that scores.
type scoreKeys struct {
	Rating key.Binding // 1–5
	Pass   key.Binding
	Fail   key.Binding
}

func newScoreKeys() scoreKeys {
	return scoreKeys{
		Rating: key.NewBinding(key.WithKeys("1", "2", "3", "4", "5"), key.WithHelp("1-5", "rate")),
		Pass:   key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "pass")),
		Fail:   key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "fail")),
	}
}

// score is the person's score k gives: a rating of 1–5 as its value, a
// pass as 1, a fail as 0; ok is false for any other key.
func (sk scoreKeys) score(k tea.KeyPressMsg) (s workspace.Score, ok bool) {
	switch {
	case key.Matches(k, sk.Rating):
		s.Value = float64(k.Code - '0')
	case key.Matches(k, sk.Pass):
		pass := true
		s.Value, s.Pass = 1, &pass
	case key.Matches(k, sk.Fail):
		fail := false
		s.Value, s.Pass = 0, &fail
	default:
		return s, false
	}
	s.Name = humanScoreName
	return s, true
}
