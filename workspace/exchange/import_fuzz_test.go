package exchange

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"promptbench/storage"
	"promptbench/workspace"
)

// FuzzImportStreamMatchesWhole checks the streaming reader against the
// general YAML reader on the whole file: whatever the stream accepts, the
// whole-file reading accepts too and plans the very same import. (The
// stream may refuse more: limits, invalid UTF-8, layouts it leaves to the
// whole-file reading.)
func FuzzImportStreamMatchesWhole(f *testing.F) {
	ctx := context.Background()
	ws := newTestWorkspace(f)
	src := newTestWorkspace(f)
	for i, s := range awkwardTexts[:8] {
		if i == 6 {
			s = "short instead of the long line"
		}
		if _, err := src.Commit(ctx, "p", text(s)); err != nil {
			f.Fatal(err)
		}
	}
	labelled := strings.Replace(genExport(1, 2, 1, plainText), "  versions:\n", "  labels:\n    production:\n      version: 2\n  versions:\n", 1)
	f.Add(labelled)
	var sb strings.Builder
	if err := Export(ctx, src, &sb, ExportOptions{}); err != nil {
		f.Fatal(err)
	}
	f.Add(sb.String())
	f.Add(genExport(2, 2, 2, plainText))
	f.Add(strings.ReplaceAll(genExport(1, 2, 1, plainText), "\n  ", "\n    "))
	f.Add("schema: promptbench/v1\nprompts:\n- name: p\n  versions:\n  - number: 1\n    messages:\n    - role: user\n      content: |+\n        a\n\n\nlogs: []\n")
	lim := workspace.DefaultImportLimits()
	whole := lim
	whole.OtherLayoutTokens, whole.YAMLTokens = 1<<30, 1<<30
	f.Fuzz(func(t *testing.T, data string) {
		var streamed, read *importer
		var errS, errW error
		err := ws.ViewStore(ctx, func(tx *storage.Tx) error {
			streamed, errS = readImport(ctx, ws, tx, "f.yaml", strings.NewReader(data), ImportOptions{DryRun: true}, lim)
			read = newImporter(ctx, ws, tx, "f.yaml", ImportOptions{DryRun: true}, whole)
			errW = pieceDecoder{name: "f.yaml", lim: whole}.document(read, []byte(data), 1, whole.OtherLayoutTokens)
			if errW == nil {
				errW = read.finish()
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if errS != nil {
			return
		}
		if errW != nil {
			t.Fatalf("the stream accepted what the whole-file reading refuses (%v):\n%s", errW, data)
		}
		if !reflect.DeepEqual(streamed.m.plan, read.m.plan) {
			t.Fatalf("plans differ:\nstream %+v\nwhole  %+v\n%s", streamed.m.plan, read.m.plan, data)
		}
	})
}
