import { defineResource } from '../resource.js';
import { cancel, create, index, remove, retrieve, update } from './user/user-crud.js';
import { passwordReset, requestNewPasswordAction, resendWelcomeEmail, userPassReset } from './user/user-password-actions.js';
import { login, logout, token } from './user/user-session-actions.js';

/** The `user` resource of Services 3.x, every operation, action and targeted action. */
export const userResource = defineResource({
  name: 'user',
  operations: { retrieve, create, update, delete: remove, index },
  actions: {
    login, logout, token, register: create,
    request_new_password: requestNewPasswordAction, user_pass_reset: userPassReset,
  },
  targetedActions: { cancel, password_reset: passwordReset, resend_welcome_email: resendWelcomeEmail },
});
