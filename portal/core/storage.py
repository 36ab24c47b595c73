"""Static file storage: compressed, with content-hashed names, ES module imports included."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    # Rewrite `import … from "…"` in our modules to hashed names too, so a library upgrade
    # reaches returning visitors despite the year-long cache.
    support_js_module_import_aggregation = True
