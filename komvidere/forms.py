from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Renders every form with our accessible templates (error summary, described fields)."""

    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"
