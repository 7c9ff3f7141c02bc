import { randomBytes } from 'node:crypto';
import type { Tamper } from './id-token.js';

export type CourseRole = 'Learner' | 'Instructor' | 'Administrator' | 'TeachingAssistant';

export interface SimUser {
  id: string;
  name: string;
  email: string;
}

export interface LineItem {
  id: string;
  label: string;
  scoreMaximum: number;
  resourceLinkId?: string;
  tag?: string;
}

export interface Course {
  id: string;
  title: string;
  label: string;
  /** The NRPS roster: who, with which role, active or not. */
  members: Map<string, { user: SimUser; role: CourseRole; status: 'Active' | 'Inactive' }>;
  lineItems: Map<string, LineItem>;
}

/** What the tool registered with this LMS (its side of a registration). */
export interface ToolClient {
  clientId: string;
  deploymentIds: string[];
  redirectUris: string[];
  jwksUrl: string;
  loginUrl: string;
  scopes: string[];
}

export interface LaunchSpec {
  clientId: string;
  user: SimUser;
  course?: Course;
  /** The role in the course (full LTI URIs are derived from it); default: the roster's, else Learner. */
  role?: CourseRole;
  messageType?: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';
  resourceLink?: { id: string; title?: string };
  custom?: Record<string, string>;
  /** Give the link a gradebook column (Moodle: "Accept grades from the tool"). */
  gradable?: boolean;
  /** Offer AGS and NRPS endpoints (default true when there is a course). */
  services?: boolean;
  deploymentId?: string;
  deepLinking?: { acceptMultiple?: boolean; acceptTypes?: string[]; data?: string };
  tamper?: Tamper;
}

/** Full LTI role URIs as id_tokens carry them (Moodle's set for each role). */
export function roleUris(role: CourseRole): string[] {
  const membership = 'http://purl.imsglobal.org/vocab/lis/v2/membership';
  switch (role) {
    case 'Learner':
      return [`${membership}#Learner`];
    case 'Instructor':
      return [`${membership}#Instructor`];
    case 'TeachingAssistant':
      return [`${membership}/Instructor#TeachingAssistant`];
    case 'Administrator':
      return [
        'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator',
        `${membership}#Instructor`,
        'http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator',
      ];
  }
}

let sequence = 0;
export function newId(prefix: string): string {
  sequence += 1;
  return `${prefix}-${sequence}-${randomBytes(3).toString('hex')}`;
}

export function newCourse(title: string): Course {
  const id = newId('course');
  return { id, title, label: title.slice(0, 12).toUpperCase(), members: new Map(), lineItems: new Map() };
}

export function newUser(name: string): SimUser {
  const id = newId('user');
  return { id, name, email: `${id}@lms.test` };
}
