// AIP client behaviour; the autosave client is added with the plan editor.
