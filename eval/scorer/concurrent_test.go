package scorer

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"promptbench/workspace"
)

// TestScorersAreSafeForConcurrentUse: a run scores many outputs at once
// with one scorer per spec (go test -race checks it).
func TestScorersAreSafeForConcurrentUse(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "s.json"), []byte(`{"type": "object", "required": ["category"]}`), 0o644)
	ws := judgeWorkspace(t)
	opt := Options{
		Dir:    dir,
		Rubric: func(ctx context.Context, ref string) (*workspace.Prepared, error) { return ws.Prepare(ctx, ref) },
		Judge: func(context.Context, JudgeCall) (JudgeReply, error) {
			return JudgeReply{Text: `{"score": 1, "pass": true, "reason": "ok"}`}, nil
		},
	}
	var scorers []*Scorer
	for _, spec := range []string{"regex:^\\{", "json-schema:s.json", "similarity:0.5", "judge:eval/rubric", "icontains:BUG"} {
		scorers = append(scorers, mustNew(t, spec, opt))
	}
	in := Input{
		Case:   Case{ID: "t", Vars: map[string]any{"customer": map[string]any{"name": "Ana"}}, Expected: `{"category": "bug"}`},
		Output: `{"category": "bug"}`,
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				for _, s := range scorers {
					r, err := s.Score(context.Background(), in)
					if err != nil || r.Pass == nil || !*r.Pass {
						t.Errorf("%s: %+v %v", s.Spec().Spec, r, err)
						return
					}
				}
			}
		})
	}
	wg.Wait()
}
