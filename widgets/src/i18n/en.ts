/** English messages: the reference catalogue every other language translates. */
export const en = {
  'error.network': 'We could not reach the course service. Check your connection and try again.',
  'error.origin':
    'Courses cannot be shown on {origin}: this site is not on the list of sites allowed to use its course key. If you run this site, add {origin} to the publishable key’s allowed origins.',
  'error.keyRevoked':
    'Courses cannot be shown here: this site’s course key is unknown or has been revoked. If you run this site, create a new publishable key and put it in the page.',
  'error.widget': 'This site’s course key does not allow this widget. If you run this site, add it to the publishable key’s allowed widgets.',
  'error.signIn': 'Your session has ended. Please sign in again.',
  'error.other': 'Something went wrong: {message}',
  retry: 'Try again',

  'catalog.label': 'Course catalog',
  'catalog.search': 'Search courses',
  'catalog.placeholder': 'Search courses…',
  'catalog.list': 'Courses',
  'catalog.loading': 'Loading courses…',
  'catalog.count.one': '1 course',
  'catalog.count.other': '{count} courses',
  'catalog.empty': 'No courses match “{query}”.',
  'catalog.none': 'No courses are open yet.',
  'catalog.more': 'Show more courses',
  'catalog.free': 'Free',
  'catalog.seats.one': '1 seat left',
  'catalog.seats.other': '{count} seats left',
  'catalog.full': 'Full: waitlist open',
  'catalog.closed': 'Enrollment closed',
  'catalog.back': 'Back to courses',
  'catalog.modules': 'What you will learn',

  'enroll.free': 'Enroll for free',
  'enroll.buy': 'Buy for {price}',
  'enroll.waitlist': 'Join the waitlist',
  'enroll.closed': 'Enrollment closed',
  'enroll.signIn': 'Sign in to enroll',
  'enroll.signInNeeded': 'Sign in on this site to enroll.',
  'enroll.working': 'Enrolling…',
  'enroll.redirecting': 'Taking you to secure checkout…',
  'enroll.enrolled': 'You are enrolled.',
  'enroll.waitlisted': 'You are on the waitlist (position {position}).',

  'tutor.label': 'Course tutor',
  'tutor.input': 'Ask a question about this course',
  'tutor.placeholder': 'Ask a question…',
  'tutor.send': 'Send',
  'tutor.stop': 'Stop',
  'tutor.you': 'You',
  'tutor.tutor': 'Tutor',
  'tutor.thinking': 'Thinking…',
  'tutor.sources': 'Sources',
  'tutor.page': 'p. {page}',
  'tutor.intro': 'Ask anything about the course materials. Answers cite their sources.',
  'tutor.stopped': 'Stopped.',
  'tutor.cite': 'Source {index}: {title}',
};

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;
