import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ButtonStyle,
  ComponentType,
  Locale,
  MessageFlags,
} from 'discord-api-types/v10';
import { formError, type FormErrors, type FormPath } from './errors.js';

/**
 * Validation of request bodies against Discord's documented limits. Every function appends to a
 * `FormErrors` (Discord's 50035 `errors` tree) instead of throwing, so one response lists all problems.
 * Where Discord's exact `_errors[].code` is undocumented the code here is a descriptive stand-in.
 */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const VALID_LOCALES: ReadonlySet<string> = new Set(Object.values(Locale));

/** Discord measures lengths in UTF-16 code units, like JS `length`. */
function checkString(
  errors: FormErrors,
  path: FormPath,
  value: unknown,
  limits: { min?: number; max: number; required?: boolean },
): value is string {
  if (value === undefined || value === null) {
    if (limits.required) errors.add(path, formError.required());
    return false;
  }
  if (typeof value !== 'string') {
    errors.add(path, formError.custom('STRING_TYPE_CONVERT', 'Could not interpret the value as string.'));
    return false;
  }
  const min = limits.min ?? 0;
  if (value.length < min || value.length > limits.max) {
    errors.add(path, min > 0 ? formError.badLength(min, limits.max) : formError.maxLength(limits.max));
    return false;
  }
  return true;
}

function checkInt(errors: FormErrors, path: FormPath, value: unknown, min: number, max: number): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    errors.add(path, formError.custom('NUMBER_TYPE_COERCE', `Value "${String(value)}" is not int.`));
    return;
  }
  if (value < min) errors.add(path, formError.numberMin(min));
  if (value > max) errors.add(path, formError.numberMax(max));
}

function checkArray(
  errors: FormErrors,
  path: FormPath,
  value: unknown,
  limits: { min?: number; max: number; required?: boolean },
): value is unknown[] {
  if (value === undefined || value === null) {
    if (limits.required) errors.add(path, formError.required());
    return false;
  }
  if (!Array.isArray(value)) {
    errors.add(path, formError.custom('LIST_TYPE_CONVERT', 'Must be an array.'));
    return false;
  }
  const min = limits.min ?? 0;
  if (value.length < min || value.length > limits.max) {
    errors.add(path, min > 0 ? formError.badLength(min, limits.max) : formError.maxLength(limits.max));
  }
  return true;
}

// ---- embeds -------------------------------------------------------------------------------

export const EMBED_TOTAL_LIMIT = 6000;

/** Characters Discord counts toward the 6000 total: title, description, field names/values, footer text, author name. */
export function embedTextLength(embed: JsonObject): number {
  const text = (value: unknown): number => (typeof value === 'string' ? value.length : 0);
  let total = text(embed.title) + text(embed.description);
  if (isObject(embed.footer)) total += text(embed.footer.text);
  if (isObject(embed.author)) total += text(embed.author.name);
  if (Array.isArray(embed.fields)) {
    for (const field of embed.fields) if (isObject(field)) total += text(field.name) + text(field.value);
  }
  return total;
}

function validateEmbed(errors: FormErrors, path: FormPath, embed: unknown): void {
  if (!isObject(embed)) {
    errors.add(path, formError.custom('DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType'));
    return;
  }
  checkString(errors, [...path, 'title'], embed.title, { max: 256 });
  checkString(errors, [...path, 'description'], embed.description, { max: 4096 });
  checkString(errors, [...path, 'url'], embed.url, { max: 2048 });
  checkInt(errors, [...path, 'color'], embed.color, 0, 0xffffff);
  if (embed.timestamp !== undefined && embed.timestamp !== null) {
    if (typeof embed.timestamp !== 'string' || Number.isNaN(Date.parse(embed.timestamp))) {
      errors.add([...path, 'timestamp'], formError.custom('DATE_TIME_TYPE_PARSE', `Could not parse ${String(embed.timestamp)}. Should be ISO8601.`));
    }
  }
  if (embed.footer !== undefined && embed.footer !== null) {
    const footer = isObject(embed.footer) ? embed.footer : {};
    checkString(errors, [...path, 'footer', 'text'], footer.text, { max: 2048, required: true });
  }
  if (embed.author !== undefined && embed.author !== null) {
    const author = isObject(embed.author) ? embed.author : {};
    checkString(errors, [...path, 'author', 'name'], author.name, { max: 256, required: true });
  }
  if (checkArray(errors, [...path, 'fields'], embed.fields, { max: 25 })) {
    embed.fields.forEach((field, index) => {
      const item = isObject(field) ? field : {};
      checkString(errors, [...path, 'fields', index, 'name'], item.name, { min: 1, max: 256, required: true });
      checkString(errors, [...path, 'fields', index, 'value'], item.value, { min: 1, max: 1024, required: true });
    });
  }
}

export function validateEmbeds(errors: FormErrors, path: FormPath, embeds: unknown): void {
  if (!checkArray(errors, path, embeds, { max: 10 })) return;
  embeds.forEach((embed, index) => validateEmbed(errors, [...path, index], embed));
  const total = embeds.reduce<number>((sum, embed) => sum + (isObject(embed) ? embedTextLength(embed) : 0), 0);
  if (total > EMBED_TOTAL_LIMIT) errors.add(path, formError.embedTooLarge());
}

// ---- components ---------------------------------------------------------------------------

const SELECT_TYPES: ReadonlySet<number> = new Set([
  ComponentType.StringSelect,
  ComponentType.UserSelect,
  ComponentType.RoleSelect,
  ComponentType.MentionableSelect,
  ComponentType.ChannelSelect,
]);
const V2_TOP_LEVEL: ReadonlySet<number> = new Set([
  ComponentType.ActionRow,
  ComponentType.Section,
  ComponentType.TextDisplay,
  ComponentType.MediaGallery,
  ComponentType.File,
  ComponentType.Separator,
  ComponentType.Container,
]);
const CONTAINER_CHILDREN: ReadonlySet<number> = new Set([
  ComponentType.ActionRow,
  ComponentType.Section,
  ComponentType.TextDisplay,
  ComponentType.MediaGallery,
  ComponentType.File,
  ComponentType.Separator,
]);
const LABEL_CHILDREN: ReadonlySet<number> = new Set([
  ComponentType.TextInput,
  ComponentType.StringSelect,
  ComponentType.UserSelect,
  ComponentType.RoleSelect,
  ComponentType.MentionableSelect,
  ComponentType.ChannelSelect,
  ComponentType.FileUpload,
  ComponentType.RadioGroup,
  ComponentType.CheckboxGroup,
  ComponentType.Checkbox,
]);

const V2_COMPONENT_LIMIT = 40;
const TEXT_DISPLAY_TOTAL_LIMIT = 4000;

interface ComponentWalk {
  errors: FormErrors;
  customIds: Set<string>;
  ids: Set<number>;
  count: number;
  textDisplayLength: number;
  surface: 'message' | 'modal';
}

function typeChoices(errors: FormErrors, path: FormPath, allowed: ReadonlySet<number>): void {
  errors.add([...path, 'type'], formError.custom('UNION_TYPE_CHOICES', `Value of field "type" must be one of (${[...allowed].join(', ')}).`));
}

function checkCommonComponentFields(walk: ComponentWalk, path: FormPath, component: JsonObject): void {
  walk.count += 1;
  if (component.id !== undefined) {
    checkInt(walk.errors, [...path, 'id'], component.id, 1, 2 ** 31 - 1);
    if (typeof component.id === 'number') {
      if (walk.ids.has(component.id)) {
        walk.errors.add([...path, 'id'], formError.custom('COMPONENT_ID_DUPLICATED', 'Component ids must be unique'));
      }
      walk.ids.add(component.id);
    }
  }
}

function checkCustomId(walk: ComponentWalk, path: FormPath, value: unknown, required: boolean): void {
  if (!checkString(walk.errors, [...path, 'custom_id'], value, { min: 1, max: 100, required })) return;
  if (walk.customIds.has(value)) {
    walk.errors.add([...path, 'custom_id'], formError.custom('COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated'));
  }
  walk.customIds.add(value);
}

function validateButton(walk: ComponentWalk, path: FormPath, button: JsonObject): void {
  checkCommonComponentFields(walk, path, button);
  const { errors } = walk;
  const style = button.style;
  const styles = [ButtonStyle.Primary, ButtonStyle.Secondary, ButtonStyle.Success, ButtonStyle.Danger, ButtonStyle.Link, ButtonStyle.Premium];
  if (typeof style !== 'number' || !styles.includes(style)) {
    errors.add([...path, 'style'], formError.choices(styles));
    return;
  }
  checkString(errors, [...path, 'label'], button.label, { max: 80 });
  if (style === ButtonStyle.Link) {
    checkString(errors, [...path, 'url'], button.url, { min: 1, max: 512, required: true });
    if (button.custom_id !== undefined) {
      errors.add([...path, 'custom_id'], formError.custom('BUTTON_COMPONENT_CUSTOM_ID_WITH_URL', 'Link buttons cannot have a custom_id'));
    }
  } else if (style === ButtonStyle.Premium) {
    if (typeof button.sku_id !== 'string') errors.add([...path, 'sku_id'], formError.required());
    for (const field of ['custom_id', 'label', 'url', 'emoji']) {
      if (button[field] !== undefined) {
        errors.add([...path, field], formError.custom('BUTTON_COMPONENT_INVALID_FIELD', `Premium buttons cannot have a ${field}`));
      }
    }
  } else {
    checkCustomId(walk, path, button.custom_id, true);
    if (button.url !== undefined) {
      errors.add([...path, 'url'], formError.custom('BUTTON_COMPONENT_URL_WITH_CUSTOM_ID', 'Only link buttons can have a url'));
    }
  }
}

function validateSelect(walk: ComponentWalk, path: FormPath, select: JsonObject, type: number): void {
  checkCommonComponentFields(walk, path, select);
  const { errors } = walk;
  checkCustomId(walk, path, select.custom_id, true);
  checkString(errors, [...path, 'placeholder'], select.placeholder, { max: 150 });
  checkInt(errors, [...path, 'min_values'], select.min_values, 0, 25);
  checkInt(errors, [...path, 'max_values'], select.max_values, 1, 25);
  if (typeof select.min_values === 'number' && typeof select.max_values === 'number' && select.min_values > select.max_values) {
    errors.add([...path, 'min_values'], formError.custom('SELECT_COMPONENT_MIN_VALUES_TOO_LARGE', 'min_values must be less than or equal to max_values'));
  }
  if (select.required !== undefined && walk.surface === 'message') {
    errors.add([...path, 'required'], formError.custom('COMPONENT_INVALID_FIELD', 'required is only valid for selects in modals'));
  }
  if (type === ComponentType.StringSelect) {
    if (checkArray(errors, [...path, 'options'], select.options, { min: 1, max: 25, required: true })) {
      const values = new Set<string>();
      select.options.forEach((option, index) => {
        const item = isObject(option) ? option : {};
        const optionPath = [...path, 'options', index];
        checkString(errors, [...optionPath, 'label'], item.label, { min: 1, max: 100, required: true });
        if (checkString(errors, [...optionPath, 'value'], item.value, { min: 1, max: 100, required: true })) {
          if (values.has(item.value)) {
            errors.add([...optionPath, 'value'], formError.custom('SELECT_COMPONENT_OPTION_VALUE_DUPLICATED', 'Select component option values must be unique'));
          }
          values.add(item.value);
        }
        checkString(errors, [...optionPath, 'description'], item.description, { max: 100 });
      });
    }
  } else {
    if (select.options !== undefined) {
      errors.add([...path, 'options'], formError.custom('COMPONENT_INVALID_FIELD', 'Only string selects have options'));
    }
    checkArray(errors, [...path, 'default_values'], select.default_values, { max: 25 });
  }
}

function validateTextInput(walk: ComponentWalk, path: FormPath, input: JsonObject, inLabel: boolean): void {
  checkCommonComponentFields(walk, path, input);
  const { errors } = walk;
  checkCustomId(walk, path, input.custom_id, true);
  if (input.style !== 1 && input.style !== 2) errors.add([...path, 'style'], formError.choices([1, 2]));
  // Inside a Label the label lives on the Label; in a legacy action row it is required on the input.
  if (!inLabel) checkString(errors, [...path, 'label'], input.label, { min: 1, max: 45, required: true });
  checkInt(errors, [...path, 'min_length'], input.min_length, 0, 4000);
  checkInt(errors, [...path, 'max_length'], input.max_length, 1, 4000);
  if (typeof input.min_length === 'number' && typeof input.max_length === 'number' && input.min_length > input.max_length) {
    errors.add([...path, 'min_length'], formError.custom('TEXT_INPUT_MIN_LENGTH_TOO_LARGE', 'min_length must be less than or equal to max_length'));
  }
  if (checkString(errors, [...path, 'value'], input.value, { max: 4000 })) {
    if (typeof input.max_length === 'number' && input.value.length > input.max_length) {
      errors.add([...path, 'value'], formError.maxLength(input.max_length));
    }
  }
  checkString(errors, [...path, 'placeholder'], input.placeholder, { max: 100 });
}

function validateActionRow(walk: ComponentWalk, path: FormPath, row: JsonObject): void {
  checkCommonComponentFields(walk, path, row);
  const { errors } = walk;
  const childPath = [...path, 'components'];
  if (!checkArray(errors, childPath, row.components, { min: 1, max: 5, required: true })) return;
  const children = row.components.filter(isObject);
  if (walk.surface === 'modal') {
    if (children.length !== 1 || children[0]?.type !== ComponentType.TextInput) {
      errors.add(childPath, formError.custom('COMPONENT_LAYOUT_WIDTH_EXCEEDED', 'A modal action row holds exactly one text input'));
    }
    children.forEach((child, index) => {
      if (child.type === ComponentType.TextInput) validateTextInput(walk, [...childPath, index], child, false);
      else typeChoices(errors, [...childPath, index], new Set([ComponentType.TextInput]));
    });
    return;
  }
  const hasSelect = children.some((child) => typeof child.type === 'number' && SELECT_TYPES.has(child.type));
  if (hasSelect && children.length > 1) {
    errors.add(childPath, formError.custom('COMPONENT_LAYOUT_WIDTH_EXCEEDED', 'The specified component exceeds the maximum width'));
  }
  children.forEach((child, index) => {
    const type = child.type;
    if (type === ComponentType.Button) validateButton(walk, [...childPath, index], child);
    else if (typeof type === 'number' && SELECT_TYPES.has(type)) validateSelect(walk, [...childPath, index], child, type);
    else typeChoices(errors, [...childPath, index], new Set([ComponentType.Button, ...SELECT_TYPES]));
  });
}

function validateMedia(errors: FormErrors, path: FormPath, media: unknown): void {
  const item = isObject(media) ? media : {};
  checkString(errors, [...path, 'url'], item.url, { min: 1, max: 2048, required: true });
}

function validateV2Component(walk: ComponentWalk, path: FormPath, component: JsonObject, allowed: ReadonlySet<number>): void {
  const { errors } = walk;
  const type = component.type;
  if (typeof type !== 'number' || !allowed.has(type)) {
    typeChoices(errors, path, allowed);
    return;
  }
  switch (type) {
    case ComponentType.ActionRow:
      validateActionRow(walk, path, component);
      return;
    case ComponentType.TextDisplay:
      checkCommonComponentFields(walk, path, component);
      if (checkString(errors, [...path, 'content'], component.content, { min: 1, max: TEXT_DISPLAY_TOTAL_LIMIT, required: true })) {
        walk.textDisplayLength += component.content.length;
      }
      return;
    case ComponentType.Section: {
      checkCommonComponentFields(walk, path, component);
      if (checkArray(errors, [...path, 'components'], component.components, { min: 1, max: 3, required: true })) {
        component.components.forEach((child, index) => {
          if (isObject(child)) validateV2Component(walk, [...path, 'components', index], child, new Set([ComponentType.TextDisplay]));
        });
      }
      const accessory = component.accessory;
      if (!isObject(accessory)) errors.add([...path, 'accessory'], formError.required());
      else if (accessory.type === ComponentType.Button) validateButton(walk, [...path, 'accessory'], accessory);
      else if (accessory.type === ComponentType.Thumbnail) validateV2Component(walk, [...path, 'accessory'], accessory, new Set([ComponentType.Thumbnail]));
      else typeChoices(errors, [...path, 'accessory'], new Set([ComponentType.Button, ComponentType.Thumbnail]));
      return;
    }
    case ComponentType.Thumbnail:
      checkCommonComponentFields(walk, path, component);
      validateMedia(errors, [...path, 'media'], component.media);
      checkString(errors, [...path, 'description'], component.description, { max: 1024 });
      return;
    case ComponentType.MediaGallery:
      checkCommonComponentFields(walk, path, component);
      if (checkArray(errors, [...path, 'items'], component.items, { min: 1, max: 10, required: true })) {
        component.items.forEach((item, index) => {
          const entry = isObject(item) ? item : {};
          validateMedia(errors, [...path, 'items', index, 'media'], entry.media);
          checkString(errors, [...path, 'items', index, 'description'], entry.description, { max: 1024 });
        });
      }
      return;
    case ComponentType.File:
      checkCommonComponentFields(walk, path, component);
      validateMedia(errors, [...path, 'file'], component.file);
      return;
    case ComponentType.Separator:
      checkCommonComponentFields(walk, path, component);
      if (component.spacing !== undefined && component.spacing !== 1 && component.spacing !== 2) {
        errors.add([...path, 'spacing'], formError.choices([1, 2]));
      }
      return;
    case ComponentType.Container:
      checkCommonComponentFields(walk, path, component);
      checkInt(errors, [...path, 'accent_color'], component.accent_color, 0, 0xffffff);
      if (checkArray(errors, [...path, 'components'], component.components, { min: 1, max: V2_COMPONENT_LIMIT, required: true })) {
        component.components.forEach((child, index) => {
          if (isObject(child)) validateV2Component(walk, [...path, 'components', index], child, CONTAINER_CHILDREN);
          else typeChoices(errors, [...path, 'components', index], CONTAINER_CHILDREN);
        });
      }
      return;
    default:
      typeChoices(errors, path, allowed);
  }
}

/** Validates `components` of a message; `componentsV2` = the IS_COMPONENTS_V2 flag is set. */
export function validateMessageComponents(errors: FormErrors, path: FormPath, components: unknown, componentsV2: boolean): void {
  const walk: ComponentWalk = { errors, customIds: new Set(), ids: new Set(), count: 0, textDisplayLength: 0, surface: 'message' };
  if (!checkArray(errors, path, components, { max: componentsV2 ? V2_COMPONENT_LIMIT : 5 })) return;
  components.forEach((component, index) => {
    if (!isObject(component)) {
      typeChoices(errors, [...path, index], componentsV2 ? V2_TOP_LEVEL : new Set([ComponentType.ActionRow]));
      return;
    }
    if (componentsV2) validateV2Component(walk, [...path, index], component, V2_TOP_LEVEL);
    else if (component.type === ComponentType.ActionRow) validateActionRow(walk, [...path, index], component);
    else typeChoices(errors, [...path, index], new Set([ComponentType.ActionRow]));
  });
  if (componentsV2) {
    if (walk.count > V2_COMPONENT_LIMIT) errors.add(path, formError.maxLength(V2_COMPONENT_LIMIT));
    if (walk.textDisplayLength > TEXT_DISPLAY_TOTAL_LIMIT) {
      errors.add(path, formError.custom('MESSAGE_TEXT_DISPLAY_TOO_LONG', `Total text display content must be ${TEXT_DISPLAY_TOTAL_LIMIT} or fewer in length.`));
    }
  }
}

// ---- modals -------------------------------------------------------------------------------

function validateLabelChild(walk: ComponentWalk, path: FormPath, child: JsonObject): void {
  const { errors } = walk;
  const type = child.type;
  if (typeof type !== 'number' || !LABEL_CHILDREN.has(type)) {
    typeChoices(errors, path, LABEL_CHILDREN);
    return;
  }
  if (type === ComponentType.TextInput) {
    validateTextInput(walk, path, child, true);
  } else if (SELECT_TYPES.has(type)) {
    validateSelect(walk, path, child, type);
  } else {
    checkCommonComponentFields(walk, path, child);
    checkCustomId(walk, path, child.custom_id, true);
    if (type === ComponentType.FileUpload) {
      checkInt(errors, [...path, 'min_values'], child.min_values, 0, 10);
      checkInt(errors, [...path, 'max_values'], child.max_values, 1, 10);
    } else if (type === ComponentType.RadioGroup || type === ComponentType.CheckboxGroup) {
      const min = type === ComponentType.RadioGroup ? 2 : 1;
      if (checkArray(errors, [...path, 'options'], child.options, { min, max: 10, required: true })) {
        child.options.forEach((option, index) => {
          const item = isObject(option) ? option : {};
          checkString(errors, [...path, 'options', index, 'label'], item.label, { min: 1, max: 100, required: true });
          checkString(errors, [...path, 'options', index, 'value'], item.value, { min: 1, max: 100, required: true });
        });
      }
    }
  }
}

const MODAL_TOP_LEVEL: ReadonlySet<number> = new Set([ComponentType.ActionRow, ComponentType.Label, ComponentType.TextDisplay]);

/** Validates the `data` of a MODAL (type 9) interaction response. */
export function validateModal(errors: FormErrors, path: FormPath, modal: unknown): void {
  if (!isObject(modal)) {
    errors.add(path, formError.required());
    return;
  }
  const walk: ComponentWalk = { errors, customIds: new Set(), ids: new Set(), count: 0, textDisplayLength: 0, surface: 'modal' };
  checkString(errors, [...path, 'custom_id'], modal.custom_id, { min: 1, max: 100, required: true });
  checkString(errors, [...path, 'title'], modal.title, { min: 1, max: 45, required: true });
  if (!checkArray(errors, [...path, 'components'], modal.components, { min: 1, max: 5, required: true })) return;
  modal.components.forEach((component, index) => {
    const itemPath = [...path, 'components', index];
    if (!isObject(component) || typeof component.type !== 'number' || !MODAL_TOP_LEVEL.has(component.type)) {
      typeChoices(errors, itemPath, MODAL_TOP_LEVEL);
      return;
    }
    if (component.type === ComponentType.ActionRow) {
      validateActionRow(walk, itemPath, component);
    } else if (component.type === ComponentType.TextDisplay) {
      checkCommonComponentFields(walk, itemPath, component);
      checkString(errors, [...itemPath, 'content'], component.content, { min: 1, max: 4000, required: true });
    } else {
      checkCommonComponentFields(walk, itemPath, component);
      checkString(errors, [...itemPath, 'label'], component.label, { min: 1, max: 45, required: true });
      checkString(errors, [...itemPath, 'description'], component.description, { max: 100 });
      if (isObject(component.component)) validateLabelChild(walk, [...itemPath, 'component'], component.component);
      else errors.add([...itemPath, 'component'], formError.required());
    }
  });
}

// ---- messages -----------------------------------------------------------------------------

/** Flags an app may set on messages it sends (docs: interaction callback data / execute webhook). */
export const SETTABLE_MESSAGE_FLAGS =
  MessageFlags.SuppressEmbeds | MessageFlags.Ephemeral | MessageFlags.SuppressNotifications | MessageFlags.IsComponentsV2 | MessageFlags.IsVoiceMessage;

export interface MessageBodyRules {
  /** Flags allowed in this context (e.g. channel messages can't be ephemeral). */
  allowedFlags: number;
  /** Whether the resulting message uses Components V2 (flag on body or on the message being edited). */
  componentsV2: boolean;
}

function validateAllowedMentions(errors: FormErrors, path: FormPath, value: unknown): void {
  if (value === undefined || value === null) return;
  if (!isObject(value)) {
    errors.add(path, formError.custom('DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType'));
    return;
  }
  const parse = value.parse;
  if (parse !== undefined) {
    if (!Array.isArray(parse)) {
      errors.add([...path, 'parse'], formError.custom('LIST_TYPE_CONVERT', 'Must be an array.'));
    } else {
      parse.forEach((entry, index) => {
        if (entry !== 'users' && entry !== 'roles' && entry !== 'everyone') {
          errors.add([...path, 'parse', index], formError.choices(['roles', 'users', 'everyone']));
        }
      });
      for (const kind of ['users', 'roles'] as const) {
        if (parse.includes(kind) && Array.isArray(value[kind]) && value[kind].length > 0) {
          errors.add([...path, 'parse'], formError.custom('MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE', `parse:["${kind}"] and ${kind}: [ids...] are mutually exclusive.`));
        }
      }
    }
  }
  checkArray(errors, [...path, 'users'], value.users, { max: 100 });
  checkArray(errors, [...path, 'roles'], value.roles, { max: 100 });
}

/** Field-level validation of a message create/edit body (content, embeds, components, flags...). */
export function validateMessageBody(errors: FormErrors, path: FormPath, body: JsonObject, rules: MessageBodyRules): void {
  checkString(errors, [...path, 'content'], body.content, { max: 2000 });
  if (body.embeds !== undefined && body.embeds !== null) validateEmbeds(errors, [...path, 'embeds'], body.embeds);
  if (body.components !== undefined && body.components !== null) {
    validateMessageComponents(errors, [...path, 'components'], body.components, rules.componentsV2);
  }
  if (body.flags !== undefined && body.flags !== null) {
    if (typeof body.flags !== 'number' || !Number.isInteger(body.flags)) {
      errors.add([...path, 'flags'], formError.type('integer'));
    } else if ((body.flags & ~rules.allowedFlags) !== 0) {
      errors.add([...path, 'flags'], formError.custom('MESSAGE_FLAGS_INVALID', `Only flags ${rules.allowedFlags} may be set here (got ${body.flags}).`));
    }
  }
  if (rules.componentsV2) {
    const hasContent = typeof body.content === 'string' && body.content.length > 0;
    const hasEmbeds = Array.isArray(body.embeds) && body.embeds.length > 0;
    if (hasContent || hasEmbeds || body.poll !== undefined) {
      errors.add([...path, hasContent ? 'content' : hasEmbeds ? 'embeds' : 'poll'], formError.custom(
        'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2',
        'The content, embeds, stickers and poll fields cannot be used when the IS_COMPONENTS_V2 flag is set',
      ));
    }
  }
  validateAllowedMentions(errors, [...path, 'allowed_mentions'], body.allowed_mentions);
  if (checkArray(errors, [...path, 'attachments'], body.attachments, { max: 10 })) {
    body.attachments.forEach((attachment, index) => {
      const item = isObject(attachment) ? attachment : {};
      checkString(errors, [...path, 'attachments', index, 'description'], item.description, { max: 1024 });
    });
  }
  checkArray(errors, [...path, 'sticker_ids'], body.sticker_ids, { max: 3 });
}

// ---- autocomplete -------------------------------------------------------------------------

/** Validates APPLICATION_COMMAND_AUTOCOMPLETE_RESULT `data` against the focused option's type. */
export function validateAutocompleteChoices(errors: FormErrors, path: FormPath, data: unknown, optionType: ApplicationCommandOptionType): void {
  const choices = isObject(data) ? data.choices : undefined;
  if (!checkArray(errors, [...path, 'choices'], choices, { max: 25, required: true })) return;
  choices.forEach((choice, index) => validateChoice(errors, [...path, 'choices', index], choice, optionType));
}

function validateChoice(errors: FormErrors, path: FormPath, choice: unknown, optionType: ApplicationCommandOptionType): void {
  const item = isObject(choice) ? choice : {};
  checkString(errors, [...path, 'name'], item.name, { min: 1, max: 100, required: true });
  validateLocalizations(errors, [...path, 'name_localizations'], item.name_localizations, { min: 1, max: 100 });
  if (optionType === ApplicationCommandOptionType.String) {
    checkString(errors, [...path, 'value'], item.value, { min: 1, max: 100, required: true });
  } else if (optionType === ApplicationCommandOptionType.Integer) {
    if (typeof item.value !== 'number' || !Number.isInteger(item.value)) errors.add([...path, 'value'], formError.type('integer'));
  } else if (typeof item.value !== 'number') {
    errors.add([...path, 'value'], formError.type('number'));
  }
}

// ---- application commands -----------------------------------------------------------------

const CHAT_INPUT_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function validateLocalizations(
  errors: FormErrors,
  path: FormPath,
  value: unknown,
  limits: { min: number; max: number; chatInputName?: boolean },
): void {
  if (value === undefined || value === null) return;
  if (!isObject(value)) {
    errors.add(path, formError.custom('DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType'));
    return;
  }
  for (const [locale, text] of Object.entries(value)) {
    if (!VALID_LOCALES.has(locale)) {
      errors.add([...path, locale], formError.custom('BASE_TYPE_CHOICES', `Value must be one of (${[...VALID_LOCALES].join(', ')}).`));
      continue;
    }
    if (text === null) continue;
    if (limits.chatInputName) checkCommandName(errors, [...path, locale], text);
    else checkString(errors, [...path, locale], text, { min: limits.min, max: limits.max, required: true });
  }
}

function checkCommandName(errors: FormErrors, path: FormPath, name: unknown): void {
  if (!checkString(errors, path, name, { min: 1, max: 32, required: true })) return;
  if (!CHAT_INPUT_NAME.test(name) || name !== name.toLowerCase()) {
    errors.add(path, formError.custom('APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid'));
  }
}

/** Longest of the default and all localized values (that's what counts toward the 4000 limit). */
function longest(value: unknown, localizations: unknown): number {
  let max = typeof value === 'string' ? value.length : 0;
  if (isObject(localizations)) {
    for (const text of Object.values(localizations)) if (typeof text === 'string') max = Math.max(max, text.length);
  }
  return max;
}

function optionSize(option: JsonObject): number {
  let size = longest(option.name, option.name_localizations) + longest(option.description, option.description_localizations);
  if (Array.isArray(option.choices)) {
    for (const choice of option.choices) {
      if (isObject(choice)) size += longest(choice.name, choice.name_localizations) + String(choice.value ?? '').length;
    }
  }
  if (Array.isArray(option.options)) for (const child of option.options) if (isObject(child)) size += optionSize(child);
  return size;
}

export function commandSize(command: JsonObject): number {
  return optionSize(command);
}

const VALUE_OPTION_TYPES: ReadonlySet<number> = new Set([
  ApplicationCommandOptionType.String,
  ApplicationCommandOptionType.Integer,
  ApplicationCommandOptionType.Boolean,
  ApplicationCommandOptionType.User,
  ApplicationCommandOptionType.Channel,
  ApplicationCommandOptionType.Role,
  ApplicationCommandOptionType.Mentionable,
  ApplicationCommandOptionType.Number,
  ApplicationCommandOptionType.Attachment,
]);
const CHOICE_OPTION_TYPES: ReadonlySet<number> = new Set([
  ApplicationCommandOptionType.String,
  ApplicationCommandOptionType.Integer,
  ApplicationCommandOptionType.Number,
]);

function validateOptionList(errors: FormErrors, path: FormPath, options: unknown, level: 'command' | 'group' | 'subcommand'): void {
  if (!checkArray(errors, path, options, { max: 25 })) return;
  const names = new Set<string>();
  let seenOptional = false;
  const items = options.map((option) => (isObject(option) ? option : {}));
  const nested = items.filter((option) => option.type === ApplicationCommandOptionType.Subcommand || option.type === ApplicationCommandOptionType.SubcommandGroup);
  if (nested.length > 0 && nested.length !== items.length) {
    errors.add(path, formError.custom('APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', 'Sub-command and sub-command group option types are mutually exclusive to all other types'));
  }
  items.forEach((option, index) => {
    const optionPath = [...path, index];
    const type = option.type;
    checkCommandName(errors, [...optionPath, 'name'], option.name);
    if (typeof option.name === 'string') {
      if (names.has(option.name)) {
        errors.add([...optionPath, 'name'], formError.custom('APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS', 'Option names must be unique'));
      }
      names.add(option.name);
    }
    validateLocalizations(errors, [...optionPath, 'name_localizations'], option.name_localizations, { min: 1, max: 32, chatInputName: true });
    checkString(errors, [...optionPath, 'description'], option.description, { min: 1, max: 100, required: true });
    validateLocalizations(errors, [...optionPath, 'description_localizations'], option.description_localizations, { min: 1, max: 100 });

    const misplaced = formError.custom('APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', 'Sub-command groups only nest at the top level, sub-commands only at the top level or in a group');
    if (type === ApplicationCommandOptionType.SubcommandGroup) {
      if (level !== 'command') errors.add([...optionPath, 'type'], misplaced);
      validateOptionList(errors, [...optionPath, 'options'], option.options ?? [], 'group');
      if (!Array.isArray(option.options) || option.options.length === 0) errors.add([...optionPath, 'options'], formError.badLength(1, 25));
      return;
    }
    if (type === ApplicationCommandOptionType.Subcommand) {
      if (level === 'subcommand') errors.add([...optionPath, 'type'], misplaced);
      validateOptionList(errors, [...optionPath, 'options'], option.options, 'subcommand');
      return;
    }
    if (typeof type !== 'number' || !VALUE_OPTION_TYPES.has(type)) {
      typeChoices(errors, optionPath, new Set([1, 2, ...VALUE_OPTION_TYPES]));
      return;
    }
    if (level === 'group') {
      errors.add([...optionPath, 'type'], formError.custom('APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', 'Sub-command groups may only contain sub-commands'));
    }
    const required = option.required === true;
    if (required && seenOptional) {
      errors.add([...optionPath, 'required'], formError.custom('APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be placed before non-required options'));
    }
    if (!required) seenOptional = true;
    if (option.choices !== undefined) {
      if (!CHOICE_OPTION_TYPES.has(type)) {
        errors.add([...optionPath, 'choices'], formError.custom('APPLICATION_COMMAND_OPTION_CHOICES_INVALID', 'Choices are only valid for string, integer and number options'));
      } else if (checkArray(errors, [...optionPath, 'choices'], option.choices, { max: 25 })) {
        option.choices.forEach((choice, choiceIndex) => validateChoice(errors, [...optionPath, 'choices', choiceIndex], choice, type));
        if (option.autocomplete === true && option.choices.length > 0) {
          errors.add([...optionPath, 'autocomplete'], formError.custom('APPLICATION_COMMAND_AUTOCOMPLETE_WITH_CHOICES', 'Autocomplete cannot be enabled on options that have choices'));
        }
      }
    }
    if (option.autocomplete === true && !CHOICE_OPTION_TYPES.has(type)) {
      errors.add([...optionPath, 'autocomplete'], formError.custom('APPLICATION_COMMAND_AUTOCOMPLETE_INVALID', 'Autocomplete is only valid for string, integer and number options'));
    }
    const numeric = type === ApplicationCommandOptionType.Integer || type === ApplicationCommandOptionType.Number;
    for (const field of ['min_value', 'max_value'] as const) {
      if (option[field] === undefined) continue;
      if (!numeric) errors.add([...optionPath, field], formError.custom('APPLICATION_COMMAND_OPTION_FIELD_INVALID', `${field} is only valid for integer and number options`));
      else if (typeof option[field] !== 'number') errors.add([...optionPath, field], formError.type('number'));
    }
    for (const field of ['min_length', 'max_length'] as const) {
      if (option[field] === undefined) continue;
      if (type !== ApplicationCommandOptionType.String) {
        errors.add([...optionPath, field], formError.custom('APPLICATION_COMMAND_OPTION_FIELD_INVALID', `${field} is only valid for string options`));
      } else {
        checkInt(errors, [...optionPath, field], option[field], field === 'min_length' ? 0 : 1, 6000);
      }
    }
    if (option.channel_types !== undefined && type !== ApplicationCommandOptionType.Channel) {
      errors.add([...optionPath, 'channel_types'], formError.custom('APPLICATION_COMMAND_OPTION_FIELD_INVALID', 'channel_types is only valid for channel options'));
    }
  });
}

export const COMMAND_SIZE_LIMIT = 4000;

/** Validates one application command (create/overwrite payload). */
export function validateCommand(errors: FormErrors, path: FormPath, command: unknown): void {
  if (!isObject(command)) {
    errors.add(path, formError.custom('DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType'));
    return;
  }
  const type = command.type ?? ApplicationCommandType.ChatInput;
  const types = [ApplicationCommandType.ChatInput, ApplicationCommandType.User, ApplicationCommandType.Message, ApplicationCommandType.PrimaryEntryPoint];
  if (typeof type !== 'number' || !types.includes(type)) {
    errors.add([...path, 'type'], formError.choices(types));
    return;
  }
  if (type === ApplicationCommandType.ChatInput) {
    checkCommandName(errors, [...path, 'name'], command.name);
    validateLocalizations(errors, [...path, 'name_localizations'], command.name_localizations, { min: 1, max: 32, chatInputName: true });
    checkString(errors, [...path, 'description'], command.description, { min: 1, max: 100, required: true });
    validateLocalizations(errors, [...path, 'description_localizations'], command.description_localizations, { min: 1, max: 100 });
    validateOptionList(errors, [...path, 'options'], command.options, 'command');
    if (commandSize(command) > COMMAND_SIZE_LIMIT) {
      errors.add(path, formError.custom('APPLICATION_COMMAND_TOO_LARGE', `Command exceeds maximum size (${COMMAND_SIZE_LIMIT})`));
    }
  } else {
    // User/message commands: free-form names (spaces, capitals) and an empty description.
    checkString(errors, [...path, 'name'], command.name, { min: 1, max: 32, required: true });
    validateLocalizations(errors, [...path, 'name_localizations'], command.name_localizations, { min: 1, max: 32 });
    if (typeof command.description === 'string' && command.description.length > 0) {
      errors.add([...path, 'description'], formError.custom('APPLICATION_COMMAND_DESCRIPTION_INVALID', 'Context menu commands cannot have a description'));
    }
    if (Array.isArray(command.options) && command.options.length > 0) {
      errors.add([...path, 'options'], formError.custom('APPLICATION_COMMAND_OPTIONS_INVALID', 'Context menu commands cannot have options'));
    }
  }
  const permissions = command.default_member_permissions;
  if (permissions !== undefined && permissions !== null && (typeof permissions !== 'string' || !/^\d+$/.test(permissions))) {
    errors.add([...path, 'default_member_permissions'], formError.custom('PERMISSIONS_TYPE_INVALID', 'Must be a string of permission bits or null'));
  }
  if (command.contexts !== undefined && command.contexts !== null) {
    if (checkArray(errors, [...path, 'contexts'], command.contexts, { max: 3 })) {
      command.contexts.forEach((context, index) => {
        if (context !== 0 && context !== 1 && context !== 2) errors.add([...path, 'contexts', index], formError.choices([0, 1, 2]));
      });
    }
  }
  if (command.integration_types !== undefined) {
    if (checkArray(errors, [...path, 'integration_types'], command.integration_types, { max: 2 })) {
      command.integration_types.forEach((integration, index) => {
        if (integration !== 0 && integration !== 1) errors.add([...path, 'integration_types', index], formError.choices([0, 1]));
      });
    }
  }
}

/** Per-scope limits: 100 chat-input, 15 user and 15 message commands; names unique per type. */
export function validateCommandList(errors: FormErrors, commands: unknown): commands is JsonObject[] {
  if (!Array.isArray(commands)) {
    errors.add([], formError.custom('LIST_TYPE_CONVERT', 'Must be an array.'));
    return false;
  }
  const seen = new Set<string>();
  const counts = new Map<number, number>();
  commands.forEach((command, index) => {
    validateCommand(errors, [index], command);
    if (!isObject(command)) return;
    const type = typeof command.type === 'number' ? command.type : ApplicationCommandType.ChatInput;
    counts.set(type, (counts.get(type) ?? 0) + 1);
    const key = `${type}:${String(command.name)}`;
    if (seen.has(key)) {
      errors.add([index, 'name'], formError.custom('APPLICATION_COMMANDS_DUPLICATE_NAME', `Application command names must be unique`));
    }
    seen.add(key);
  });
  const limits: [number, number][] = [
    [ApplicationCommandType.ChatInput, 100],
    [ApplicationCommandType.User, 15],
    [ApplicationCommandType.Message, 15],
  ];
  for (const [type, limit] of limits) {
    if ((counts.get(type) ?? 0) > limit) {
      errors.add([], formError.custom('APPLICATION_COMMANDS_TOO_MANY', `Maximum number of type ${type} application commands reached (${limit})`));
    }
  }
  return errors.isEmpty;
}
