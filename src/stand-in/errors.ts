import { RESTJSONErrorCodes } from 'discord-api-types/v10';

/** One entry of Discord's `_errors` arrays, e.g. `{ code: 'BASE_TYPE_MAX_LENGTH', message: '...' }`. */
export interface FormError {
  code: string;
  message: string;
}

/** Nested error tree as Discord returns it under `errors` for 50035 Invalid Form Body. */
export interface FormErrorTree {
  [key: string]: FormErrorTree | FormError[];
}

export type FormPath = ReadonlyArray<string | number>;

/** Collects validation failures into Discord's `errors` tree shape. */
export class FormErrors {
  private readonly root: FormErrorTree = {};
  private count = 0;

  constructor(private readonly prefix: FormPath = []) {}

  add(path: FormPath, error: FormError): void {
    let node = this.root;
    for (const segment of [...this.prefix, ...path]) {
      const key = String(segment);
      const child = node[key];
      if (child === undefined || Array.isArray(child)) {
        const created: FormErrorTree = {};
        node[key] = created;
        node = created;
      } else {
        node = child;
      }
    }
    const existing = node._errors;
    if (Array.isArray(existing)) existing.push(error);
    else node._errors = [error];
    this.count += 1;
  }

  get isEmpty(): boolean {
    return this.count === 0;
  }

  get tree(): FormErrorTree {
    return this.root;
  }

  /** Flattened `path: message` lines, handy for assertion messages. */
  describe(): string[] {
    const lines: string[] = [];
    const walk = (node: FormErrorTree, path: string[]): void => {
      for (const [key, value] of Object.entries(node)) {
        if (Array.isArray(value)) {
          for (const error of value) lines.push(`${path.join('.') || '(root)'}: ${error.code} ${error.message}`);
        } else {
          walk(value, [...path, key]);
        }
      }
    };
    walk(this.root, []);
    return lines;
  }

  throwIfAny(): void {
    if (!this.isEmpty) throw ApiError.invalidFormBody(this);
  }
}

/** Error codes/messages Discord uses inside `_errors` (the ones the stand-in emits). */
export const formError = {
  required: (): FormError => ({ code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }),
  maxLength: (max: number): FormError => ({ code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` }),
  minLength: (min: number): FormError => ({ code: 'BASE_TYPE_MIN_LENGTH', message: `Must be ${min} or more in length.` }),
  badLength: (min: number, max: number): FormError => ({
    code: 'BASE_TYPE_BAD_LENGTH',
    message: `Must be between ${min} and ${max} in length.`,
  }),
  choices: (choices: Iterable<string | number>): FormError => ({
    code: 'BASE_TYPE_CHOICES',
    message: `Value must be one of (${[...choices].join(', ')}).`,
  }),
  type: (expected: string): FormError => ({ code: 'BASE_TYPE_INVALID', message: `Expected ${expected}.` }),
  numberMin: (min: number): FormError => ({ code: 'NUMBER_TYPE_MIN', message: `int value should be greater than or equal to ${min}.` }),
  numberMax: (max: number): FormError => ({ code: 'NUMBER_TYPE_MAX', message: `int value should be less than or equal to ${max}.` }),
  embedTooLarge: (): FormError => ({ code: 'MAX_EMBED_SIZE_EXCEEDED', message: 'Embed size exceeds maximum size of 6000' }),
  custom: (code: string, message: string): FormError => ({ code, message }),
};

export interface ApiErrorBody {
  code: number;
  message: string;
  errors?: FormErrorTree;
}

/** A Discord JSON error response: HTTP status plus `{ code, message, errors? }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: FormErrorTree,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get body(): ApiErrorBody {
    return this.errors ? { message: this.message, code: this.code, errors: this.errors } : { message: this.message, code: this.code };
  }

  static invalidFormBody(errors: FormErrors): ApiError {
    return new ApiError(400, RESTJSONErrorCodes.InvalidFormBodyOrContentType, 'Invalid Form Body', errors.tree);
  }

  static unauthorized = (): ApiError => new ApiError(401, 0, '401: Unauthorized');
  static notFound = (): ApiError => new ApiError(404, 0, '404: Not Found');
  static methodNotAllowed = (): ApiError => new ApiError(405, 0, '405: Method Not Allowed');
  static invalidJson = (): ApiError => new ApiError(400, RESTJSONErrorCodes.RequestBodyContainsInvalidJSON, 'The request body contains invalid JSON.');
  static missingAccess = (): ApiError => new ApiError(403, RESTJSONErrorCodes.MissingAccess, 'Missing Access');
  static missingPermissions = (): ApiError => new ApiError(403, RESTJSONErrorCodes.MissingPermissions, 'Missing Permissions');
  static unknownChannel = (): ApiError => new ApiError(404, RESTJSONErrorCodes.UnknownChannel, 'Unknown Channel');
  static unknownGuild = (): ApiError => new ApiError(404, RESTJSONErrorCodes.UnknownGuild, 'Unknown Guild');
  static unknownMember = (): ApiError => new ApiError(404, RESTJSONErrorCodes.UnknownMember, 'Unknown Member');
  static unknownMessage = (): ApiError => new ApiError(404, RESTJSONErrorCodes.UnknownMessage, 'Unknown Message');
  static unknownRole = (): ApiError => new ApiError(404, RESTJSONErrorCodes.UnknownRole, 'Unknown Role');
  static unknownUser = (): ApiError => new ApiError(404, RESTJSONErrorCodes.UnknownUser, 'Unknown User');
  static unknownWebhook = (): ApiError => new ApiError(404, RESTJSONErrorCodes.UnknownWebhook, 'Unknown Webhook');
  static unknownApplication = (): ApiError => new ApiError(404, RESTJSONErrorCodes.UnknownApplication, 'Unknown Application');
  static unknownCommand = (): ApiError =>
    new ApiError(404, RESTJSONErrorCodes.UnknownApplicationCommand, 'Unknown application command');
  static unknownInteraction = (): ApiError => new ApiError(404, RESTJSONErrorCodes.UnknownInteraction, 'Unknown interaction');
  static alreadyAcknowledged = (): ApiError =>
    new ApiError(400, RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged, 'Interaction has already been acknowledged.');
  static invalidWebhookToken = (): ApiError =>
    new ApiError(401, RESTJSONErrorCodes.InvalidWebhookToken, 'Invalid Webhook Token');
  static emptyMessage = (): ApiError => new ApiError(400, RESTJSONErrorCodes.CannotSendAnEmptyMessage, 'Cannot send an empty message');
  static cannotEditOthersMessage = (): ApiError =>
    new ApiError(403, RESTJSONErrorCodes.CannotEditMessageAuthoredByAnotherUser, 'Cannot edit a message authored by another user');
  static cannotMessageUser = (): ApiError =>
    new ApiError(403, RESTJSONErrorCodes.CannotSendMessagesToThisUser, 'Cannot send messages to this user');
  static nonTextChannel = (): ApiError =>
    new ApiError(403, RESTJSONErrorCodes.CannotSendMessagesInNonTextChannel, 'Cannot send messages in a non-text channel');
  static forumChannel = (): ApiError =>
    new ApiError(400, RESTJSONErrorCodes.CannotSendAMessageInAForumChannel, 'Cannot send a message in a forum channel');
  static wrongChannelType = (): ApiError =>
    new ApiError(400, RESTJSONErrorCodes.CannotExecuteActionOnThisChannelType, 'Cannot execute action on this channel type');
  static threadArchived = (): ApiError => new ApiError(400, RESTJSONErrorCodes.InvalidActionOnArchivedThread, 'Thread is archived');
  static threadLocked = (): ApiError => new ApiError(403, RESTJSONErrorCodes.ThreadLocked, 'Thread is locked');
  static entityTooLarge = (): ApiError => new ApiError(413, RESTJSONErrorCodes.RequestEntityTooLarge, 'Request entity too large');
}
