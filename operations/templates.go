package operations

import (
	"context"

	"rcm/reporting"
)

// CreateTemplate stores a report template; templates never change in place.
func (e *Engine) CreateTemplate(ctx context.Context, c Caller, t reporting.Template) error {
	if err := e.Authorize(c, OpCreateTemplate); err != nil {
		return err
	}
	entry := c.audit(OpCreateTemplate, "template/"+t.Code, map[string]any{"indicators": len(t.Indicators)})
	return e.store.CreateTemplate(ctx, t, entry)
}

// Template returns a template by its code.
func (e *Engine) Template(ctx context.Context, c Caller, code string) (reporting.Template, error) {
	if err := e.Authorize(c, OpReadTemplates); err != nil {
		return reporting.Template{}, err
	}
	return e.store.Template(ctx, code)
}

// ListTemplates lists every template.
func (e *Engine) ListTemplates(ctx context.Context, c Caller) ([]reporting.Template, error) {
	if err := e.Authorize(c, OpReadTemplates); err != nil {
		return nil, err
	}
	return e.store.ListTemplates(ctx)
}
