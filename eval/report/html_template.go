package report

// htmlSource is the HTML report's template: one file, no external
// resource of any kind (the page must open offline, in a CI artifact).
const htmlSource = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>promptbench run {{.R.Run}}</title>
<style>
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --pass: #1a7f37; --fail: #cf222e; --warn: #9a6700; --bar: #0969da; --bg2: #f6f8fa; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); margin: 24px auto; max-width: 1400px; padding: 0 16px; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.muted { color: var(--muted); }
.badge { display: inline-block; font-weight: 700; padding: 2px 10px; border-radius: 12px; color: #fff; margin-right: 8px; }
.badge.pass { background: var(--pass); } .badge.fail { background: var(--fail); } .badge.warn { background: var(--warn); }
table { border-collapse: collapse; } th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: var(--bg2); } td.num { text-align: right; font-variant-numeric: tabular-nums; }
svg { display: block; margin: 4px 0 12px; } svg text { font: 12px system-ui, sans-serif; fill: var(--fg); }
.charts { display: flex; flex-wrap: wrap; gap: 8px 32px; } .chart h3 { font-size: 13px; margin: 8px 0 0; font-family: ui-monospace, monospace; }
.verdict { margin: 6px 0 12px; } .verdict code { background: var(--bg2); padding: 1px 4px; }
#matrix { width: 100%; table-layout: fixed; } #matrix td.case { width: 140px; word-break: break-all; }
#matrix tr.flag td.case { border-left: 4px solid var(--warn); }
pre { white-space: pre-wrap; word-break: break-word; margin: 4px 0; max-height: 320px; overflow: auto; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; }
.chip { display: inline-block; font-size: 11px; padding: 0 6px; border-radius: 8px; margin: 0 4px 2px 0; border: 1px solid var(--line); }
.chip.pass { color: var(--pass); border-color: var(--pass); } .chip.fail { color: var(--fail); border-color: var(--fail); } .chip.err { color: var(--warn); border-color: var(--warn); }
.err { color: var(--fail); } .meta { font-size: 11px; color: var(--muted); }
.controls { margin: 8px 0; display: flex; gap: 16px; align-items: center; }
</style>
</head>
<body>
<h1><span class="badge {{.BadgeKind}}">{{.Badge}}</span>Run {{.R.Run}}</h1>
<div class="muted">{{.Dataset}} · {{.R.Shape}} · started {{time .R}} · status {{.R.Status}}</div>
{{if .R.Thresholds}}<p>{{if .Missed}}{{len .Missed}} of {{len .R.Thresholds}} thresholds missed: {{range $i, $t := .Missed}}{{if $i}}; {{end}}<b>{{$t.Variant}}</b> on <code>{{$t.Scorer}}</code>: {{$t.Text $.R.Repeat}}{{end}}.{{else}}Every threshold is met ({{len .R.Thresholds}}).{{end}}</p>{{end}}

<h2>Variants</h2>
<table>
<tr><th>variant</th><th>model</th><th>calls</th><th>errors</th><th>cached</th><th>p50</th><th>p95</th><th>tokens in / out</th><th>cost</th></tr>
{{range .R.Variants}}<tr><td>{{.ID}}</td><td>{{.Model}}</td><td class="num">{{.Calls}}</td><td class="num">{{.Errors}}</td><td class="num">{{.Cached}}</td><td class="num">{{ms .P50LatencyMS}}</td><td class="num">{{ms .P95LatencyMS}}</td><td class="num">{{.InputTokens}} / {{.OutputTokens}}</td><td class="num">{{usd .CostUSD}}</td></tr>
{{end}}</table>
<table style="margin-top:12px">
<tr><th>variant</th><th>scorer</th><th>pass rate</th><th>95% CI</th><th>judged</th><th>mean score</th><th>scorer errors</th></tr>
{{range $v := .R.Variants}}{{range .Scorers}}<tr><td>{{$v.ID}}</td><td><code>{{.Spec}}</code></td>{{if .Judged}}<td class="num">{{pct .PassRate}}</td><td class="num">{{pct .CI.Low}} – {{pct .CI.High}}</td>{{else}}<td class="num">—</td><td class="num">—</td>{{end}}<td class="num">{{.Judged}}</td><td class="num">{{f3 .Mean}}</td><td class="num">{{.Errors}}</td></tr>
{{end}}{{end}}</table>

{{if .Pass}}<h2>Pass rates with 95% Wilson intervals</h2>
<div class="charts">{{range .Pass}}<div class="chart"><h3>{{.Scorer}}</h3>
<svg width="900" height="{{.Height}}" viewBox="0 0 900 {{.Height}}" role="img" aria-label="pass rates of {{.Scorer}}">
{{$axis := .AxisY}}{{range .Ticks}}<line x1="{{.X}}" x2="{{.X}}" y1="6" y2="{{$axis}}" stroke="#d1d9e0"/><text x="{{.X}}" y="{{$axis}}" dy="15" text-anchor="middle">{{.Label}}</text>{{end}}
{{range .Bars}}<g><title>{{.Full}}: {{.Text}}</title><text x="0" y="{{.TextY}}">{{.Label}}</text>
<rect x="{{.X}}" y="{{.Y}}" width="{{.Width}}" height="20" fill="#0969da" opacity="0.75"/>
<line x1="{{.Low}}" x2="{{.High}}" y1="{{.MidY}}" y2="{{.MidY}}" stroke="#1f2328" stroke-width="1.5"/>
<line x1="{{.Low}}" x2="{{.Low}}" y1="{{.WhiskerTop}}" y2="{{.WhiskerBottom}}" stroke="#1f2328" stroke-width="1.5"/><line x1="{{.High}}" x2="{{.High}}" y1="{{.WhiskerTop}}" y2="{{.WhiskerBottom}}" stroke="#1f2328" stroke-width="1.5"/>
<text x="640" y="{{.TextY}}">{{.Text}}</text></g>
{{end}}</svg></div>{{end}}</div>{{end}}

{{if .Dist}}<h2>Score distributions</h2>
<div class="charts">{{range .Dist}}<div class="chart"><h3>{{.Scorer}}</h3>
<svg width="900" height="{{.Height}}" viewBox="0 0 900 {{.Height}}" role="img" aria-label="score distribution of {{.Scorer}}">
{{$axis := .AxisY}}<line x1="250" x2="630" y1="{{$axis}}" y2="{{$axis}}" stroke="#d1d9e0"/>{{range .Ticks}}<text x="{{.X}}" y="{{$axis}}" dy="15" text-anchor="middle">{{.Label}}</text>{{end}}
{{range .Rows}}<g><title>{{.Full}}</title><text x="0" y="{{.TextY}}">{{.Label}}</text></g>
{{range .Bars}}<rect x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" fill="#0969da" opacity="0.75"><title>{{.Title}}</title></rect>{{end}}
{{end}}</svg></div>{{end}}</div>{{end}}

{{if .R.Comparisons}}<h2>Comparisons, baseline → candidate</h2>
{{if .R.Multiplicity}}<p class="muted">p adjusted: {{.R.Multiplicity}}.</p>{{end}}
{{range .R.Comparisons}}<div class="verdict"><code>{{.Scorer}}</code> {{.A}} → {{.B}}: {{if eq .ScoreType "pass_fail"}}Δ {{printf "%+.1f" (mul100 .Diff.Mean)}} points (95% CI {{printf "%+.1f" (mul100 .Diff.Low)}} to {{printf "%+.1f" (mul100 .Diff.High)}}){{else}}Δ {{printf "%+.3f" .Diff.Mean}} (95% CI {{printf "%+.3f" .Diff.Low}} to {{printf "%+.3f" .Diff.High}}){{end}}, {{.Test}} p {{p .PAdjusted}}, n {{.N}}.<br><b>{{.Verdict.Text}}</b></div>
{{end}}{{end}}

<h2>Outputs side by side</h2>
{{with .Matrix}}<p class="muted">{{.Shown}} of {{.Total}} rows shown: {{if .Compare}}the rows where the variants disagree (a verdict, a failed call or a scorer error differs){{else}}the rows that failed{{end}}, {{.Flagged}} in all{{if gt .Flagged 300}} (the first 300 of them){{end}}{{if .Others}}, and the first {{.Others}} others in case order{{end}}.{{if .Left}} {{.Left}} rows left out: <code>promptbench report {{$.R.Run}} --format jsonl</code> lists every one.{{end}}</p>
<div class="controls"><label><input type="checkbox" id="only-flagged"> only rows where {{if .Compare}}the variants disagree{{else}}the row failed{{end}} ({{.Flagged}})</label>
<label>filter <input type="search" id="q" placeholder="text in the row"></label><span id="count" class="muted"></span></div>
<table id="matrix">
<thead><tr><th style="width:140px">case</th>{{range .Variants}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>
{{range .Rows}}<tr{{if .Flag}} class="flag" data-flag="1"{{end}}><td class="case">{{.Case}}</td>{{range .Cells}}<td>{{if .Present}}{{range .Chips}}<span class="chip {{.Class}}" title="{{.Title}}">{{.Text}}</span>{{end}}{{if .Error}}<div class="err">{{.Error}}</div>{{end}}<pre>{{.Output}}</pre>{{if .Truncated}}<div class="meta">… {{.Truncated}} more characters</div>{{end}}<div class="meta">{{.Meta}}</div>{{else}}<span class="muted">no result</span>{{end}}</td>{{end}}</tr>
{{end}}</tbody></table>{{end}}
<script>
(function () {
  var only = document.getElementById("only-flagged"), q = document.getElementById("q"), count = document.getElementById("count");
  if (!only || !q) { return; }
  var rows = document.querySelectorAll("#matrix tbody tr");
  function update() {
    var text = q.value.toLowerCase(), shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var tr = rows[i];
      var ok = (!only.checked || tr.getAttribute("data-flag") === "1") && (text === "" || tr.textContent.toLowerCase().indexOf(text) >= 0);
      tr.hidden = !ok;
      if (ok) { shown++; }
    }
    count.textContent = shown + " of " + rows.length + " rows";
  }
  only.addEventListener("change", update);
  q.addEventListener("input", update);
  update();
})();
</script>
<p class="muted">promptbench · run {{.R.Run}} · this page is self-contained and works offline.</p>
</body>
</html>
`
