/** What the module's route files share: the applicant behind a business's request, and a form's submission. */
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.ts';
import { echoValues, type FormState, type FormValues, type formInputOf, formStateOfError } from '../../web/forms.ts';
import { findOrganisationOfBusiness, requirePrincipal } from '../accounts/index.ts';
import type { Applicant, ApplicationsContext } from './applications.service.ts';

/** The applicant behind a business's request: its account and its organisation. */
export async function applicantOf(context: ApplicationsContext, request: FastifyRequest): Promise<Applicant> {
  const principal = requirePrincipal(request);
  const organisation = principal.organisationId
    ? await findOrganisationOfBusiness(context.database.db, principal.organisationId)
    : undefined;
  if (!organisation) {
    throw new AppError('forbidden', {
      vi: 'Chỉ tài khoản doanh nghiệp mới nộp hồ sơ',
      en: 'only a business account files applications',
    });
  }
  return {
    accountId: principal.accountId,
    organisationId: organisation.id,
    organisationTaxCode: organisation.tax_code,
  };
}

/**
 * Sends a form's valid input to the service: the form's state to show again when the input is invalid (400) or
 * the service refuses it (its error's status), or nothing when it is done. Errors that are not the form's own go on
 * to the error page.
 */
export async function submitForm<Value>(
  input: ReturnType<typeof formInputOf<Value>>,
  act: (value: Value) => Promise<unknown>,
  valuesOf: (value: Value) => FormValues = echoValues,
): Promise<{ form: FormState; status: number } | undefined> {
  if (!input.ok) return { form: input.form, status: 400 };
  try {
    await act(input.value);
    return undefined;
  } catch (error) {
    return formStateOfError(error, valuesOf(input.value));
  }
}
