// The identification part of the join, setup and profile forms.
import { LIBRARY_TYPES, LIBRARY_TYPE_LABELS, MEMBER_KINDS, MEMBER_KIND_LABELS } from "~/lib/domain";
import type { FieldErrors } from "~/lib/errors";
import { CheckboxField, SelectField, TextField } from "./Field";

type Values = Record<string, string | number | boolean | null | undefined>;

const str = (v: Values[string]) => (v == null ? "" : String(v));
const checked = (v: Values[string]) => v === true || v === "on" || v === "true";

export function IdentificationFields({
  values,
  errors,
  worksiteRequired,
  full = true,
}: {
  values: Values;
  errors: FieldErrors;
  worksiteRequired: boolean;
  full?: boolean;
}) {
  return (
    <fieldset className="fieldset">
      <legend>Identification</legend>
      <p className="fieldset__intro">As on LM_NET, every post carries who you are and where you work, so colleagues can put answers in context.</p>
      <TextField
        name="displayName"
        label="Display name"
        required
        defaultValue={str(values.displayName)}
        error={errors.displayName}
        autoComplete="name"
        maxLength={80}
      />
      <TextField
        name="jobTitle"
        label="Job title"
        required
        defaultValue={str(values.jobTitle)}
        error={errors.jobTitle}
        autoComplete="organization-title"
        maxLength={100}
        hint="For example: Library Media Assistant, Circulation Clerk, Technical Services Technician."
      />
      <TextField
        name="worksite"
        label="Worksite"
        required={worksiteRequired}
        defaultValue={str(values.worksite)}
        error={errors.worksite}
        autoComplete="organization"
        maxLength={150}
        hint="The library, school or system where you work."
      />
      <SelectField
        name="memberKind"
        label="I am"
        defaultValue={str(values.memberKind) || "support_staff"}
        error={errors.memberKind}
        options={MEMBER_KINDS.map((k) => ({ value: k, label: MEMBER_KIND_LABELS[k] }))}
      />
      {full ? (
        <>
          <SelectField
            name="libraryType"
            label="Library type"
            placeholder="Choose…"
            defaultValue={str(values.libraryType)}
            error={errors.libraryType}
            options={LIBRARY_TYPES.map((k) => ({ value: k, label: LIBRARY_TYPE_LABELS[k] }))}
          />
          <TextField
            name="region"
            label="State or region"
            defaultValue={str(values.region)}
            error={errors.region}
            maxLength={80}
            autoComplete="address-level1"
          />
          <TextField
            name="yearsInLibraryWork"
            label="Years in library work"
            inputMode="numeric"
            defaultValue={str(values.yearsInLibraryWork)}
            error={errors.yearsInLibraryWork}
            maxLength={2}
          />
          <fieldset className="fieldset fieldset--inner">
            <legend>Credentials</legend>
            <CheckboxField name="hasMlis" label="MLS / MLIS" defaultChecked={checked(values.hasMlis)} />
            <CheckboxField name="hasLssc" label="LSSC (ALA Library Support Staff Certification)" defaultChecked={checked(values.hasLssc)} />
            <TextField
              name="stateCertification"
              label="State certification"
              defaultValue={str(values.stateCertification)}
              error={errors.stateCertification}
              maxLength={100}
              hint="For example: PARA level 2."
            />
            <TextField
              name="otherCredentials"
              label="Other credentials"
              defaultValue={str(values.otherCredentials)}
              error={errors.otherCredentials}
              maxLength={200}
            />
          </fieldset>
        </>
      ) : null}
    </fieldset>
  );
}
