package app

import (
	"context"
	"errors"
	"strings"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/search"
)

// Synonyms returns the admins' synonym rules (the national defaults are
// search.DefaultSynonyms).
func (a *App) Synonyms(ctx context.Context) (string, error) {
	s, err := a.store.Setting(ctx, SynonymsSetting)
	if errors.Is(err, pendopo.ErrNotFound) {
		return "", nil
	}
	return s, err
}

// SetSynonyms replaces the admins' synonym rules; only national admins may,
// because search is national. Errors name the line.
func (a *App) SetSynonyms(ctx context.Context, who pendopo.Actor, rules string) error {
	role, err := who.Authorize(pendopo.ActEditSynonyms, pendopo.Scope{})
	if err != nil {
		return err
	}
	rules = strings.ReplaceAll(rules, "\r\n", "\n")
	if !pendopo.ValidText(rules) {
		return invalidParam("synonyms", pendopo.M("app.the_synonym_list_contains_invalid"))
	}
	if len(rules) > 64<<10 {
		return invalidParam("synonyms", pendopo.M("app.the_synonym_list_at_most"))
	}
	if _, err := search.ParseSynonyms(rules); err != nil {
		return err
	}
	old, err := a.Synonyms(ctx)
	if err != nil {
		return err
	}
	e := pendopo.AuditEntry{Action: "synonyms.update", Entity: "setting", EntityID: SynonymsSetting, Diff: pendopo.Diff(old, rules)}
	if err := a.audited(ctx, who, role, &e, func(tx pendopo.Store) error { return tx.PutSetting(ctx, SynonymsSetting, rules) }); err != nil {
		return err
	}
	return a.Sync(ctx)
}
