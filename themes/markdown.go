package themes

import (
	"charm.land/glamour/v2/ansi"
	"charm.land/glamour/v2/styles"
)

// markdown is glamour's dark or light style with the palette's colours and
// no document margin: a pane's frame already sets its text apart.
// glamour's configs share pointers, so fields are replaced, never written
// through.
func markdown(p Palette) ansi.StyleConfig {
	cfg := styles.LightStyleConfig
	if p.Dark {
		cfg = styles.DarkStyleConfig
	}
	str := func(s string) *string { return &s }
	zero := uint(0)
	cfg.Document.Margin = &zero
	cfg.Document.Color = str(p.Text)
	cfg.Document.BlockPrefix = ""
	cfg.Document.BlockSuffix = ""
	cfg.Heading.Color = str(p.Accent)
	cfg.H1.Color = str(p.BadgeText)
	cfg.H1.BackgroundColor = str(p.Accent)
	cfg.Link.Color = str(p.Accent)
	cfg.LinkText.Color = str(p.Accent)
	cfg.Code.Color = str(p.Highlight)
	cfg.Code.BackgroundColor = nil
	cfg.Item.Color = nil
	cfg.BlockQuote.Color = str(p.Muted)
	cfg.HorizontalRule.Color = str(p.Subtle)
	return cfg
}
