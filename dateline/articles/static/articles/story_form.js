/* The newsroom's story form (dateline/articles/forms.py StoryForm).
 *
 * Autosave (Wagtail's w-autosave controller on the form):
 * - waits until the form's required fields are filled: an autosave before then can only be
 *   refused by the server (a 400 every few seconds while the editor is still typing);
 * - never races Publish or Save: a submit made while an autosave is pending or under way waits
 *   for it. The first autosave of a new story creates the page and moves the form onto its
 *   edit view, so the Publish that follows publishes that same page instead of posting the
 *   create form again (which failed with "slug already in use" and left the autosaved draft).
 *
 * The error summary above the tabs: a click on a field's name opens its tab and focuses it.
 */
// Loaded in the page's head (form media), before the form exists: start once it does.
const startStoryForm = () => {
  'use strict';

  const form = document.getElementById('page-edit-form');
  if (!form) return;

  const autosave = () =>
    window.wagtail?.app?.getControllerForElementAndIdentifier(form, 'w-autosave') || null;

  const isFilled = (input) => {
    if (input.disabled || input.closest('.deleted, template')) return true;
    if (input.type === 'checkbox' || input.type === 'radio') {
      return !!form.querySelector(`[name="${CSS.escape(input.name)}"]:checked`);
    }
    return input.value.trim() !== '';
  };

  const requiredFilled = () => [...form.querySelectorAll('[required]')].every(isFilled);

  // The revision this form's own autosaves keep writing: a Save or Publish from this form
  // names it, so that StoryForm does not take the form's own autosave for someone else's newer
  // version (Wagtail sends it with autosaves only).
  form.addEventListener('w-autosave:success', (event) => {
    const revision = event.detail?.response?.revision_id;
    if (!revision) return;
    let input = form.querySelector('input[name="dateline_autosaved_revision_id"]');
    if (!input) {
      input = document.createElement('input');
      input.type = 'hidden';
      input.name = 'dateline_autosaved_revision_id';
      form.append(input);
    }
    input.value = revision;
  });

  let submitting = false;
  let waiting = false;

  form.addEventListener('w-autosave:save', (event) => {
    if (submitting || !requiredFilled()) {
      event.preventDefault();
      // Nor does the indicator say "Autosave in progress…" for a save that is not made.
      event.stopPropagation();
    }
  });

  form.addEventListener(
    'submit',
    (event) => {
      if (submitting) return;
      const controller = autosave();
      const pending = controller?.submitPromise;
      submitting = true;
      // A submit that something else stops (a confirmation dialog…) lets autosave resume.
      setTimeout(() => {
        if (event.defaultPrevented && !waiting) submitting = false;
      });
      if (!pending) return;
      waiting = true;
      // Let the autosave finish (it may be creating the page), then submit again: the form
      // then posts to the page's edit view, with the ids the autosave gave its parts.
      event.preventDefault();
      event.stopImmediatePropagation();
      const { submitter } = event;
      pending.finally(() => {
        waiting = false;
        if (controller) controller.activeValue = false;
        // The button may be disabled by now (its progress spinner): send its action by hand.
        if (submitter?.name) {
          const action = document.createElement('input');
          action.type = 'hidden';
          action.name = submitter.name;
          action.value = submitter.value;
          form.append(action);
        }
        form.requestSubmit();
      });
    },
    { capture: true },
  );

  document.addEventListener('click', (event) => {
    const link = event.target.closest('[data-story-error-tab]');
    if (!link) return;
    event.preventDefault();
    document.getElementById(`tab-label-${link.dataset.storyErrorTab}`)?.click();
    const field = document.getElementById(link.dataset.storyErrorField);
    if (field) {
      field.closest('[data-field-wrapper], .w-field, [data-panel]')?.scrollIntoView({ block: 'center' });
      field.focus({ preventScroll: true });
    }
  });
};

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', startStoryForm, { once: true });
} else {
  startStoryForm();
}
