import type { Component, Modal } from './types.js';

type Fields = Record<string, string | string[]>;

let counter = 0;

function field(component: Component, label: string, description: string | undefined): { element: HTMLElement; read: () => [string, string | string[]] } {
  const id = `modal-field-${(counter += 1)}`;
  const wrapper = document.createElement('div');
  wrapper.className = 'modal-field';
  const caption = document.createElement('label');
  caption.htmlFor = id;
  caption.textContent = label;
  const required = component.required !== false;
  if (required) {
    const star = document.createElement('span');
    star.className = 'required';
    star.textContent = ' *';
    star.setAttribute('aria-hidden', 'true');
    caption.appendChild(star);
  }
  wrapper.appendChild(caption);
  if (description) {
    const hint = document.createElement('div');
    hint.className = 'modal-hint';
    hint.id = `${id}-hint`;
    hint.textContent = description;
    wrapper.appendChild(hint);
  }
  const customId = component.custom_id ?? '';
  if (component.type === 4) {
    const input = component.style === 2 ? document.createElement('textarea') : document.createElement('input');
    input.id = id;
    input.required = required;
    if (component.min_length !== undefined) input.minLength = component.min_length;
    if (component.max_length !== undefined) input.maxLength = component.max_length;
    if (component.placeholder) input.placeholder = component.placeholder;
    if (component.value) input.value = component.value;
    if (description) input.setAttribute('aria-describedby', `${id}-hint`);
    wrapper.appendChild(input);
    return { element: wrapper, read: () => [customId, input.value] };
  }
  const select = document.createElement('select');
  select.id = id;
  select.required = required && (component.min_values ?? 1) > 0;
  select.multiple = (component.max_values ?? 1) > 1;
  if (description) select.setAttribute('aria-describedby', `${id}-hint`);
  if (!select.multiple) {
    const placeholder = document.createElement('option');
    placeholder.value = '';
    placeholder.textContent = component.placeholder ?? 'Make a selection';
    select.appendChild(placeholder);
  }
  for (const option of component.options ?? []) {
    const element = document.createElement('option');
    element.value = option.value;
    element.textContent = option.description ? `${option.label} — ${option.description}` : option.label;
    element.selected = option.default === true;
    select.appendChild(element);
  }
  wrapper.appendChild(select);
  return { element: wrapper, read: () => [customId, [...select.selectedOptions].map((option) => option.value).filter((value) => value !== '')] };
}

/**
 * Shows the bot's modal as a native dialog named by its title: text inputs and selects, with
 * Discord's own checks (required, lengths) done by the browser before anything is sent.
 */
export function showModal(modal: Modal, labels: { submit: string; cancel: string }, onSubmit: (fields: Fields) => Promise<string | null>): HTMLDialogElement {
  const dialog = document.createElement('dialog');
  dialog.className = 'modal';
  const titleId = `modal-title-${(counter += 1)}`;
  dialog.setAttribute('aria-labelledby', titleId);
  const form = document.createElement('form');
  form.method = 'dialog';
  const title = document.createElement('h2');
  title.id = titleId;
  title.textContent = modal.title;
  form.appendChild(title);
  const readers: (() => [string, string | string[]])[] = [];
  for (const component of modal.components) {
    if (component.type === 1) {
      for (const child of component.components ?? []) {
        const built = field(child, child.label ?? '', undefined);
        form.appendChild(built.element);
        readers.push(built.read);
      }
    } else if (component.type === 18 && component.component) {
      const built = field(component.component, component.label ?? '', component.description);
      form.appendChild(built.element);
      readers.push(built.read);
    } else if (component.type === 10 && component.content) {
      const text = document.createElement('p');
      text.textContent = component.content;
      form.appendChild(text);
    }
  }
  const error = document.createElement('div');
  error.className = 'modal-error';
  error.setAttribute('role', 'alert');
  const footer = document.createElement('div');
  footer.className = 'modal-footer';
  const cancel = document.createElement('button');
  cancel.type = 'button';
  cancel.className = 'plain-button';
  cancel.textContent = labels.cancel;
  cancel.addEventListener('click', () => dialog.close());
  const submit = document.createElement('button');
  submit.type = 'submit';
  submit.className = 'primary-button';
  submit.textContent = labels.submit;
  footer.append(cancel, submit);
  form.append(error, footer);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit.disabled = true;
    const fields: Fields = Object.fromEntries(readers.map((read) => read()).filter(([, value]) => value !== ''));
    void onSubmit(fields).then((problem) => {
      submit.disabled = false;
      if (problem) error.textContent = problem;
      else dialog.close();
    });
  });
  dialog.addEventListener('close', () => dialog.remove());
  dialog.appendChild(form);
  document.body.appendChild(dialog);
  dialog.showModal();
  return dialog;
}
