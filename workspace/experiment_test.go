package workspace

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"promptbench/storage"
)

func experimentFixture(t *testing.T) (*Workspace, Experiment) {
	t.Helper()
	ws := newTestWorkspace(t)
	ctx := context.Background()
	mustCommit(t, ws, "support/reply", text("Hi {{name}}"))
	mustCommit(t, ws, "support/reply", text("Hello {{name}}"))
	if _, err := ws.SetLabel(ctx, "support/reply@1", "production"); err != nil {
		t.Fatal(err)
	}
	e, err := ws.CreateExperiment(ctx, "tone", "support/reply", "user_id", []VariantSpec{{"production", 90}, {"2", 10}})
	if err != nil {
		t.Fatal(err)
	}
	return ws, e
}

func TestCreateExperimentRefusesBadInputAndStoresNothing(t *testing.T) {
	ws, _ := experimentFixture(t)
	ctx := context.Background()
	for _, c := range []struct {
		name, prompt string
		specs        []VariantSpec
		kind         error
	}{
		{"a", "support/reply", []VariantSpec{{"production", 90}, {"2", 20}}, ErrInvalid},
		{"b", "support/reply", []VariantSpec{{"production", 90}, {"7", 10}}, ErrNotFound},
		{"c", "nope", []VariantSpec{{"production", 90}, {"2", 10}}, ErrNotFound},
		{"d", "support/reply", []VariantSpec{{"production", 50}, {"1", 50}}, ErrInvalid},
		{"tone", "support/reply", []VariantSpec{{"production", 50}, {"2", 50}}, ErrExists},
		{"e", "support/reply", []VariantSpec{{"canary", 50}, {"2", 50}}, ErrNotFound},
	} {
		if _, err := ws.CreateExperiment(ctx, c.name, c.prompt, "", c.specs); !errors.Is(err, c.kind) {
			t.Errorf("%s %v: %v, want %v", c.name, c.specs, err, c.kind)
		}
	}
	all, err := ws.Experiments(ctx)
	if err != nil || len(all) != 1 {
		t.Fatalf("experiments after refusals: %d, %v", len(all), err)
	}
}

func TestSetWeightsAndStopPromotingTheWinner(t *testing.T) {
	ws, e := experimentFixture(t)
	ctx := context.Background()
	if _, err := ws.SetWeights(ctx, "tone", []VariantSpec{{"production", 80}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("a missing variant: %v", err)
	}
	if _, err := ws.SetWeights(ctx, "tone", []VariantSpec{{"production", 80}, {"3", 20}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("an unknown variant: %v", err)
	}
	e2, err := ws.SetWeights(ctx, "tone", []VariantSpec{{"production", 50}, {"2", 50}})
	if err != nil {
		t.Fatal(err)
	}
	moved := 0
	for i := range 2000 {
		k := fmt.Sprint("user-", i)
		before, after := e.Assign(k), e2.Assign(k)
		if before != after {
			if before != 0 || after != 1 {
				t.Fatalf("%s moved from variant %d to %d", k, before, after)
			}
			moved++
		}
	}
	if moved < 700 || moved > 900 {
		t.Errorf("%d of 2,000 keys moved from 90%% to 50%%; expected about 800", moved)
	}
	res, err := ws.StopExperiment(ctx, "tone", "support/reply@2", true)
	if err != nil {
		t.Fatal(err)
	}
	if res.Experiment.Winner != "2" || res.Move == nil || res.Move.To != 2 {
		t.Fatalf("stop: %+v", res)
	}
	p, _, err := ws.History(ctx, "support/reply")
	if err != nil || p.Labels["production"] != 2 {
		t.Fatalf("production after promote: %v, %v", p.Labels, err)
	}
	events, _ := ws.Audit(ctx, "support/reply")
	var actions []string
	for _, ev := range events {
		if ev.Action == AuditExperiment || ev.Action == AuditLabel {
			actions = append(actions, ev.Action+" "+ev.Detail)
		}
	}
	want := "label production -> 1|experiment create tone: production (v1) 90%, 2 (v2) 10%|experiment weights tone: production (v1) 90%, 2 (v2) 10% -> production (v1) 50%, 2 (v2) 50%|label production 1 -> 2|experiment stop tone: winner 2 (v2), promoted to production"
	if got := strings.Join(actions, "|"); got != want {
		t.Errorf("audit:\n%s\nwant\n%s", got, want)
	}
	if _, err := ws.StopExperiment(ctx, "tone", "", false); !errors.Is(err, ErrInvalid) {
		t.Errorf("stopping twice: %v", err)
	}
}

func TestImportOutcomesAllOrNothing(t *testing.T) {
	ws, e := experimentFixture(t)
	ctx := context.Background()
	dir := t.TempDir()
	var good strings.Builder
	for i := range 300 {
		k := fmt.Sprint("user-", i)
		fmt.Fprintf(&good, `{"key": %q, "metrics": {"resolved": %v, "rating": %d}, "time": "2026-11-30T08:00:00Z"}`+"\n", k, i%3 == 0, i%5)
	}
	bad := good.String() + `{"key": "user-1", "variant": "` + e.Variants[1-e.Assign("user-1")].Name + `", "metrics": {"resolved": 1}}` + "\n"
	badPath := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(badPath, []byte(bad), 0o644)
	_, err := ws.ImportOutcomes(ctx, "tone", badPath)
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "bad.jsonl:301: variant") {
		t.Fatalf("a contradicting variant: %v", err)
	}
	if o, _ := ws.Outcomes(ctx, "tone"); len(o.Values) != 0 {
		t.Fatalf("a refused file stored %v", o.Keys)
	}
	goodPath := filepath.Join(dir, "good.jsonl")
	os.WriteFile(goodPath, []byte(good.String()), 0o644)
	res, err := ws.ImportOutcomes(ctx, "tone", goodPath)
	if err != nil || res.Outcomes != 300 || res.Values != 600 {
		t.Fatalf("import: %+v, %v", res, err)
	}
	// Again: values replace themselves, nothing doubles.
	if _, err := ws.ImportOutcomes(ctx, "tone", goodPath); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.RecordOutcome(ctx, "tone", OutcomeInput{Key: "user-0", Metrics: map[string]float64{"resolved": 0}}); err != nil {
		t.Fatal(err)
	}
	o, err := ws.Outcomes(ctx, "tone")
	if err != nil {
		t.Fatal(err)
	}
	keys, resolved := 0, 0.0
	for _, n := range o.Keys {
		keys += n
	}
	for _, vs := range o.Values["resolved"] {
		for _, v := range vs {
			resolved += v
		}
	}
	if keys != 300 || resolved != 99 {
		t.Errorf("after two imports and a record: %d keys, %v resolved; want 300 and 99", keys, resolved)
	}
	if _, err := ws.ImportOutcomes(ctx, "nope", goodPath); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown experiment: %v", err)
	}
}

// TestCutBatchIsNeverCounted writes outcomes of a batch that was never
// committed, as a crash half-way through an import leaves them.
func TestCutBatchIsNeverCounted(t *testing.T) {
	ws, _ := experimentFixture(t)
	ctx := context.Background()
	err := ws.update(ctx, func(tx *storage.Tx) error {
		e, err := GetExperiment(tx, "tone")
		if err != nil {
			return err
		}
		e.Pending = 1
		if err := PutExperiment(tx, e); err != nil {
			return err
		}
		return putOutcome(tx, "tone", 1, "production", OutcomeInput{Key: "ghost", Metrics: map[string]float64{"resolved": 1}})
	})
	if err != nil {
		t.Fatal(err)
	}
	if o, _ := ws.Outcomes(ctx, "tone"); len(o.Keys) != 0 {
		t.Fatalf("a cut batch was counted: %v", o.Keys)
	}
	if _, err := ws.RecordOutcome(ctx, "tone", OutcomeInput{Key: "u1", Metrics: map[string]float64{"resolved": 1}}); err != nil {
		t.Fatal(err)
	}
	o, _ := ws.Outcomes(ctx, "tone")
	total := 0
	for _, n := range o.Keys {
		total += n
	}
	if total != 1 || o.Experiment.Pending != 0 || o.Experiment.Batches != 1 {
		t.Fatalf("after the next write: %d keys, %+v", total, o.Experiment)
	}
}

func TestPromptWithExperimentsKeepsItsName(t *testing.T) {
	ws, _ := experimentFixture(t)
	ctx := context.Background()
	if _, err := ws.Rename(ctx, "support/reply", "support/answer"); !errors.Is(err, ErrInvalid) {
		t.Errorf("rename of a prompt with an experiment: %v", err)
	}
	if _, err := ws.Remove(ctx, "support/reply", true); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "running experiments (tone)") {
		t.Errorf("rm --force of a prompt with a running experiment: %v", err)
	}
	if _, err := ws.StopExperiment(ctx, "tone", "", false); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Remove(ctx, "support/reply", true); err != nil {
		t.Errorf("rm --force after the stop: %v", err)
	}
}

func TestDoctorChecksExperiments(t *testing.T) {
	ws, _ := experimentFixture(t)
	ctx := context.Background()
	err := ws.update(ctx, func(tx *storage.Tx) error {
		e, err := GetExperiment(tx, "tone")
		if err != nil {
			return err
		}
		e.Variants[1].Version = 9
		e.Variants[0].Buckets[0].To--
		return PutExperiment(tx, e)
	})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := ws.Doctor(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, p := range rep.Remaining {
		if p.Kind == ProblemExperiment {
			found = append(found, p.Detail)
		}
	}
	if len(found) != 2 || !strings.Contains(strings.Join(found, "|"), "support/reply@9, which does not exist") {
		t.Errorf("doctor found %q", found)
	}
}
