import { AppError } from '../../../shared/errors/app-error.js';

/** Unknown e-mail, wrong password, disabled account and wrong surface: one indistinguishable error. */
export class InvalidCredentials extends AppError {
  constructor() {
    super('AUTH.INVALID_CREDENTIALS');
  }
}

export class LoginThrottled extends AppError {
  constructor(retryAfterSeconds: number) {
    super('AUTH.LOGIN_THROTTLED', { retryAfterSeconds });
  }
}

export class PasswordRejected extends AppError {
  constructor(detail: string) {
    super('IDENTITY.PASSWORD_REJECTED', {
      detail,
      errors: [{ pointer: '/body/password', message: detail }],
    });
  }
}

export class CurrentPasswordWrong extends AppError {
  constructor() {
    super('IDENTITY.CURRENT_PASSWORD_WRONG', {
      errors: [{ pointer: '/body/currentPassword', message: 'is wrong' }],
    });
  }
}

export class EmailTaken extends AppError {
  constructor() {
    super('IDENTITY.EMAIL_TAKEN', {
      errors: [{ pointer: '/body/email', message: 'is already in use' }],
    });
  }
}

export class UserNotFound extends AppError {
  constructor() {
    super('IDENTITY.USER_NOT_FOUND');
  }
}

export class CannotDisableSelf extends AppError {
  constructor() {
    super('IDENTITY.CANNOT_DISABLE_SELF');
  }
}

export class NotAllowed extends AppError {
  constructor(detail: string) {
    super('AUTH.FORBIDDEN', { detail });
  }
}
