package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"

	"promptbench/eval/evalrun"
	"promptbench/eval/merge"
	"promptbench/eval/report"
	"promptbench/workspace"
)

// writeShardRecord writes a shard's JSON report: the report and its cases,
// which `report --merge` joins, streamed from the store.
func (a *app) writeShardRecord(ctx context.Context, ws *workspace.Workspace, run workspace.Run, r *report.Report, output string) error {
	return a.writeOut(output, func(w io.Writer) error {
		return merge.WriteRecord(w, r, merge.ShardOf(run), evalrun.ShardCases(ctx, ws, run))
	})
}

// mergeReports joins shards' JSON reports into one report.
func (a *app) mergeReports(files []string, format, output string) error {
	if len(files) == 0 {
		return usagef("report --merge needs the shards' JSON reports: promptbench report --merge shard-1.json shard-2.json")
	}
	shards := make([]merge.Shard, 0, len(files))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return usagef(fmt.Sprintf("report --merge: %v", err))
		}
		rec, err := merge.Decode(f, data)
		if err != nil {
			return inputError(err)
		}
		shards = append(shards, merge.Shard{File: f, Record: rec})
	}
	m, err := merge.Merge(shards, report.PerCase(format))
	if err != nil {
		return inputError(err)
	}
	defer m.Results.Close()
	if err := a.writeOut(output, func(w io.Writer) error { return report.Write(w, m.Report, format, m.Results, m.Fetch) }); err != nil {
		return err
	}
	if len(m.NotDone) > 0 {
		fmt.Fprintf(a.Err, "promptbench: merged %d shards, but these did not finish: %v; resume their runs and merge again\n", len(files), m.NotDone)
		return exitStatus(exitFailure)
	}
	if missed := m.Report.Missed(); len(missed) > 0 {
		fmt.Fprintf(a.Err, "promptbench: merged report: %d threshold(s) below fail_under: %s on %s, %s (see the report)\n", len(missed), missed[0].Variant, missed[0].Scorer, missed[0].Text(m.Report.Repeat))
		return exitStatus(exitBelow)
	}
	return nil
}

// writeOut writes to stdout, or whole to a file.
func (a *app) writeOut(output string, write func(io.Writer) error) error {
	if output == "" {
		return write(a.Out)
	}
	var b bytes.Buffer
	if err := write(&b); err != nil {
		return err
	}
	if err := os.WriteFile(output, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write the report: %w", err)
	}
	return nil
}
